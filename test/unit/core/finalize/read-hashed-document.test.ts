// readHashedDocument: the bytes and the SHA-256 state of exactly those bytes, hashed as they arrive,
// or from the bytes when a store does not tell its pieces; passHashedDocument: the same state and
// the size for a document only passed on.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createMemoryBlobStore } from '../../../../lambdas/adapters/memory/memory-blob-store.ts';
import { passHashedDocument, readHashedDocument } from '../../../../lambdas/core/finalize/read-hashed-document.ts';
import type { BlobStore } from '../../../../lambdas/core/ports.ts';

const body = new Uint8Array(100_000).map((_, i) => (i * 7) % 251);
const expected = createHash('sha256').update(body).update('after').digest('hex');

async function storeWithBody(): Promise<BlobStore> {
  const store = createMemoryBlobStore();
  await store.put({ key: 'doc', body, contentType: 'application/pdf' });
  return store;
}

describe('readHashedDocument', () => {
  it('gives the bytes and a hash state that continues after them', async () => {
    const read = await readHashedDocument(await storeWithBody(), 'doc');

    expect(Buffer.from(read?.bytes as Uint8Array).equals(Buffer.from(body))).toBe(true);
    expect(read?.hash.update('after').digest('hex')).toBe(expected);
  });

  it('hashes the bytes themselves when the store does not tell its pieces', async () => {
    const store = await storeWithBody();
    const silent: BlobStore = { ...store, get: (key) => store.get(key) };

    const read = await readHashedDocument(silent, 'doc');

    expect(read?.hash.update('after').digest('hex')).toBe(expected);
  });

  it('answers undefined for a missing document', async () => {
    expect(await readHashedDocument(await storeWithBody(), 'none')).toBeUndefined();
  });
});

describe('passHashedDocument', () => {
  it('passes the bytes on and gives their size and a hash state that continues after them', async () => {
    const pieces: Uint8Array[] = [];

    const passed = await passHashedDocument(await storeWithBody(), 'doc', (chunk) => pieces.push(chunk));

    expect(Buffer.concat(pieces).equals(Buffer.from(body))).toBe(true);
    expect([passed?.size, passed?.hash.update('after').digest('hex')]).toEqual([body.byteLength, expected]);
  });

  it('answers undefined for a missing document', async () => {
    expect(await passHashedDocument(await storeWithBody(), 'none', () => undefined)).toBeUndefined();
  });
});
