// An in-memory BlobStore: the fake of the BlobStore port for unit tests.
import type { BlobStore } from '../../core/ports.ts';

export function createMemoryBlobStore(): BlobStore & {
  keys(): string[];
  contentType(key: string): string | undefined;
} {
  const blobs = new Map<string, { body: Uint8Array; contentType: string }>();
  return {
    keys: () => [...blobs.keys()].sort(),
    contentType: (key) => blobs.get(key)?.contentType,
    async put({ key, body, contentType }) {
      blobs.set(key, { body: new Uint8Array(body), contentType });
    },
    async putStream({ key, chunks, size, contentType }) {
      const parts: Uint8Array[] = [];
      for await (const chunk of chunks) parts.push(new Uint8Array(chunk));
      const body = Buffer.concat(parts);
      if (body.byteLength !== size) throw new Error(`${body.byteLength} bytes, not the announced ${size}`);
      blobs.set(key, { body: new Uint8Array(body), contentType });
    },
    async get(key, options) {
      const blob = blobs.get(key);
      if (!blob) return undefined;
      const bytes = new Uint8Array(blob.body);
      options?.onChunk?.(bytes);
      return bytes;
    },
    async readChunks(key, onChunk) {
      const blob = blobs.get(key);
      if (!blob) return undefined;
      onChunk(new Uint8Array(blob.body));
      return blob.body.byteLength;
    },
    async delete(key) {
      blobs.delete(key);
    },
  };
}
