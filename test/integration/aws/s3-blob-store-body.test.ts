// The S3 BlobStore reading a body into one buffer of its announced length, with the real SDK
// client against aws-sdk-client-mock: exact bytes, and a body cut short or too long is a broken
// transfer (a reset connection, which the step wrapper names TransientError and the ASL retries),
// whether the body is kept (get) or only passed on (readChunks).
import { Readable } from 'node:stream';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { createS3BlobStore } from '../../../lambdas/adapters/aws/s3-blob-store.ts';
import { isTransientFailure } from '../../../lambdas/runtime/transient-failures.ts';

const s3 = mockClient(S3Client);
afterEach(() => s3.reset());
const blobs = createS3BlobStore({ client: new S3Client({ region: 'eu-west-3', maxAttempts: 1 }), bucket: 'b' });
const body = (chunks: Uint8Array[]) => Readable.from(chunks) as never;

describe('S3 BlobStore body reading', () => {
  it('returns the chunks of an announced length as one buffer of the exact bytes', async () => {
    const chunks = [new Uint8Array([1, 2, 3]), new Uint8Array([4, 5])];
    s3.on(GetObjectCommand).resolves({ Body: body(chunks), ContentLength: 5 });
    expect(Array.from((await blobs.get('k')) ?? [])).toEqual([1, 2, 3, 4, 5]);
  });

  it('passes the chunks of an announced length on, in order, and gives the length', async () => {
    const chunks = [new Uint8Array([1, 2, 3]), new Uint8Array([4, 5])];
    s3.on(GetObjectCommand).resolves({ Body: body(chunks), ContentLength: 5 });
    const passed: number[][] = [];

    const size = await blobs.readChunks('k', (chunk) => passed.push(Array.from(chunk)));

    expect([size, passed]).toEqual([
      5,
      [
        [1, 2, 3],
        [4, 5],
      ],
    ]);
  });

  it('reads a body of unannounced length whole and tells it at once, kept or only passed on', async () => {
    const whole = { transformToByteArray: async () => new Uint8Array([7, 8, 9]) } as never;
    s3.on(GetObjectCommand).resolves({ Body: whole });
    const told: number[][] = [];

    const kept = await blobs.get('k', { onChunk: (chunk) => told.push(Array.from(chunk)) });
    const size = await blobs.readChunks('k', (chunk) => told.push(Array.from(chunk)));

    expect([Array.from(kept ?? []), size, told]).toEqual([
      [7, 8, 9],
      3,
      [
        [7, 8, 9],
        [7, 8, 9],
      ],
    ]);
  });

  it.each([
    ['shorter', 6],
    ['longer', 4],
  ])('refuses a body %s than announced, as a transient failure', async (_, announced) => {
    s3.on(GetObjectCommand).resolves({ Body: body([new Uint8Array([1, 2, 3, 4, 5])]), ContentLength: announced });
    const error = await blobs.get('k').catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(Error);
    expect(isTransientFailure(error)).toBe(true);
  });

  it.each([
    ['shorter', 6],
    ['longer', 4],
  ])('refuses to pass on a body %s than announced, as a transient failure', async (_, announced) => {
    s3.on(GetObjectCommand).resolves({ Body: body([new Uint8Array([1, 2, 3, 4, 5])]), ContentLength: announced });
    const error = await blobs.readChunks('k', () => undefined).catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(Error);
    expect(isTransientFailure(error)).toBe(true);
  });
});
