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
    async get(key) {
      const blob = blobs.get(key);
      return blob ? new Uint8Array(blob.body) : undefined;
    },
    async delete(key) {
      blobs.delete(key);
    },
  };
}
