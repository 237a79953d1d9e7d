// Reads a document and its SHA-256 state in one pass: the bytes are hashed as they arrive from the
// store (BlobStore `onChunk`), so hashing a 20 MB original overlaps its download instead of
// following it. The state is handed on, to be completed with what comes after the document.
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
