// Reads a document and its SHA-256 state in one pass: the bytes are hashed as they arrive from the
// store (BlobStore `onChunk`), so hashing a 20 MB original overlaps its download instead of
// following it. The state is handed on, to be completed with what comes after the document.
// `passHashedDocument` does the same for a document that only passes through, never held whole.
import { createHash, type Hash } from 'node:crypto';
import type { BlobStore } from '../ports.ts';

/** The bytes, and the SHA-256 state of exactly those bytes (not yet digested). */
export type HashedDocument = { bytes: Uint8Array; hash: Hash };

/** `alsoOnChunk` is told the same pieces, in order (the whole bytes at once if the store told none). */
export async function readHashedDocument(
  store: BlobStore,
  key: string,
  alsoOnChunk?: (chunk: Uint8Array) => void,
): Promise<HashedDocument | undefined> {
  const hash = createHash('sha256');
  let hashed = 0;
  const bytes = await store.get(key, {
    onChunk: (chunk) => {
      hash.update(chunk);
      hashed += chunk.byteLength;
      alsoOnChunk?.(chunk);
    },
  });
  if (!bytes) return undefined;
  if (hashed === bytes.byteLength) return { bytes, hash };
  // A store (or a wrapper of one) that told no piece: the bytes themselves, at once.
  if (hashed > 0) throw new Error(`The store told ${hashed} of the ${bytes.byteLength} bytes of ${key}.`);
  alsoOnChunk?.(bytes);
  return { bytes, hash: hash.update(bytes) };
}

/** The size, and the SHA-256 state of the bytes told to `onChunk` (kept nowhere), not yet digested. */
export type PassedDocument = { size: number; hash: Hash };

/** Each piece of the document to `onChunk` as it arrives, hashed on the way; nothing kept. */
export async function passHashedDocument(
  store: BlobStore,
  key: string,
  onChunk: (chunk: Uint8Array) => void,
): Promise<PassedDocument | undefined> {
  const hash = createHash('sha256');
  const size = await store.readChunks(key, (chunk) => {
    hash.update(chunk);
    onChunk(chunk);
  });
  return size === undefined ? undefined : { size, hash };
}
