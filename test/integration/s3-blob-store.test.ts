// The S3 BlobStore adapter against s3rver (the real S3 protocol, files on disk).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { createS3BlobStore } from '../../lambdas/adapters/aws/s3-blob-store.ts';
import type { BlobStore } from '../../lambdas/core/ports.ts';
import { createLocalS3Client, startS3rver, type RunningServer } from '../../lambdas/runtime/local-services.ts';

let s3: RunningServer;
let directory: string;
let blobs: BlobStore;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'mailsign-s3-'));
  s3 = await startS3rver({ host: '127.0.0.1', port: 0, directory, buckets: ['documents'] });
  blobs = createS3BlobStore({ client: createLocalS3Client(s3.endpoint), bucket: 'documents', prefix: 'p/' });
});

afterAll(async () => {
  await s3?.stop();
  await rm(directory, { recursive: true, force: true });
});

describe('S3 BlobStore on s3rver', () => {
  it('returns the exact bytes that were put', async () => {
    const body = new Uint8Array(300_000).map((_, i) => (i * 31) % 256);
    await blobs.put({ key: 'envelopes/e1/doc.pdf', body, contentType: 'application/pdf' });
    expect(Buffer.from((await blobs.get('envelopes/e1/doc.pdf')) as Uint8Array).equals(Buffer.from(body))).toBe(true);
  });

  it('tells each piece of a large object as it arrives, the pieces joined being the bytes returned', async () => {
    const body = new Uint8Array(3_000_001).map((_, i) => (i * 131) % 256);
    await blobs.put({ key: 'envelopes/e1/large.pdf', body, contentType: 'application/pdf' });
    const pieces: Buffer[] = [];

    const bytes = await blobs.get('envelopes/e1/large.pdf', { onChunk: (chunk) => pieces.push(Buffer.from(chunk)) });

    expect(pieces.length).toBeGreaterThan(1);
    expect(Buffer.concat(pieces).equals(Buffer.from(bytes as Uint8Array))).toBe(true);
    expect(Buffer.from(bytes as Uint8Array).equals(Buffer.from(body))).toBe(true);
  });

  it('passes each piece of a large object on as it arrives, keeping none, and gives its size', async () => {
    const body = new Uint8Array(3_000_001).map((_, i) => (i * 137) % 256);
    await blobs.put({ key: 'envelopes/e1/passing.pdf', body, contentType: 'application/pdf' });
    const pieces: Buffer[] = [];

    const size = await blobs.readChunks('envelopes/e1/passing.pdf', (chunk) => pieces.push(Buffer.from(chunk)));

    expect(pieces.length).toBeGreaterThan(1);
    expect([size, Buffer.concat(pieces).equals(Buffer.from(body))]).toEqual([body.byteLength, true]);
  });

  it('stores an object from chunks that arrive over time', async () => {
    const parts = [new Uint8Array(70_000).fill(1), new Uint8Array(3).fill(2), new Uint8Array(100_001).fill(3)];
    async function* arriving() {
      for (const part of parts) {
        await new Promise((resolve) => setTimeout(resolve, 2));
        yield part;
      }
    }

    await blobs.putStream({ key: 'streamed.pdf', chunks: arriving(), size: 170_004, contentType: 'application/pdf' });

    expect(Buffer.from((await blobs.get('streamed.pdf')) as Uint8Array).equals(Buffer.concat(parts))).toBe(true);
  });

  it('fails at once, with the reason, when the chunks fall short of the announced size', async () => {
    async function* short() {
      yield new Uint8Array(1000);
    }

    const storing = blobs.putStream({ key: 'short.pdf', chunks: short(), size: 2000, contentType: 'application/pdf' });

    // The request is aborted: S3 then stores nothing (s3rver may keep what it was sent; the
    // caller's retry overwrites it, and no record names it).
    await expect(storing).rejects.toThrow(/came to 1000 bytes, not the announced 2000/);
  });

  it('fails at once when a chunk source fails', async () => {
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield new Uint8Array(10);
      throw new Error('the original changed');
    }

    const storing = blobs.putStream({ key: 'failed.pdf', chunks: failing(), size: 20, contentType: 'application/pdf' });

    await expect(storing).rejects.toThrow('the original changed');
  });

  it('answers undefined for a missing key', async () => {
    expect(await blobs.get('nothing/here')).toBeUndefined();
  });

  it('passes nothing on, and answers undefined, for a missing key', async () => {
    const pieces: Uint8Array[] = [];
    expect(await blobs.readChunks('nothing/here', (chunk) => pieces.push(chunk))).toBeUndefined();
    expect(pieces).toEqual([]);
  });

  it('deletes an object', async () => {
    await blobs.put({ key: 'gone', body: new Uint8Array([1]), contentType: 'application/octet-stream' });
    await blobs.delete('gone');
    expect(await blobs.get('gone')).toBeUndefined();
  });

  it('gives a presigned download URL that serves the bytes as an attachment', async () => {
    const presigning = createS3BlobStore({
      client: createLocalS3Client(s3.endpoint),
      bucket: 'documents',
      presign: ({ client, command, expiresIn }) => getSignedUrl(client, command, { expiresIn }),
    });
    await presigning.put({
      key: 'big.pdf',
      body: new TextEncoder().encode('%PDF-big'),
      contentType: 'application/pdf',
    });
    const url = await presigning.createDownloadUrl?.({
      key: 'big.pdf',
      fileName: 'contrat signé.pdf',
      expiresInSeconds: 60,
    });
    const response = await fetch(url as string);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('%PDF-big');
    expect(response.headers.get('content-disposition')).toContain("filename*=UTF-8''contrat%20sign%C3%A9.pdf");
  });
});
