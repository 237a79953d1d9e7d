// Reads a document and its SHA-256 state in one pass: the bytes are hashed as they arrive from the
// store (BlobStore `onChunk`), so hashing a 20 MB original overlaps its download instead of
// following it. The state is handed on, to be completed with what comes after the document.
import { createHash, type Hash } from 'node:crypto';
import type { BlobStore } from '../ports.ts';

/** The bytes, and the SHA-256 state of exactly those bytes (not yet digested). */
export type HashedDocument = { bytes: Uint8Array; hash: Hash };

export async function readHashedDocument(store: BlobStore, key: string): Promise<HashedDocument | undefined> {
  const hash = createHash('sha256');
  let hashed = 0;
  const bytes = await store.get(key, {
    onChunk: (chunk) => {
      hash.update(chunk);
      hashed += chunk.byteLength;
    },
  });
  if (!bytes) return undefined;
  // A store (or a wrapper of one) that did not tell every piece: hash the bytes themselves.
  if (hashed !== bytes.byteLength) return { bytes, hash: createHash('sha256').update(bytes) };
  return { bytes, hash };
}
