// The S3 BlobStore storing an object from chunks (Deliver stores the certified file while its
// parts download), with the real SDK client configured as on AWS (default checksums) against a
// stub HTTP server: the request S3 would receive carries exactly the bytes, its decoded length and
// a CRC32 of them, whatever form the SDK gives the body.
import { crc32 } from 'node:zlib';
import { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3BlobStore } from '../../../lambdas/adapters/aws/s3-blob-store.ts';
import { startRecordingServer, type RecordedRequest, type RecordingServer } from '../../support/recording-server.ts';

let server: RecordingServer;

beforeAll(async () => {
  server = await startRecordingServer(() => ({ status: 200, headers: { etag: '"e"' } }));
});
afterAll(() => server.close());

/** The payload of an aws-chunked body, and its trailing headers. */
function decodeAwsChunked(body: Buffer): { data: Buffer; trailers: Record<string, string> } {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = body.indexOf('\r\n', at);
    const size = Number.parseInt(body.toString('latin1', at, lineEnd).split(';')[0] as string, 16);
    at = lineEnd + 2;
    if (size === 0) break;
    parts.push(body.subarray(at, at + size));
    at += size + 2;
  }
  const trailers = Object.fromEntries(
    body
      .toString('latin1', at)
      .split('\r\n')
      .filter(Boolean)
      .map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
  );
  return { data: Buffer.concat(parts), trailers };
}

describe('S3 BlobStore putStream with the SDK as on AWS', () => {
  it('sends exactly the chunks, their length and a CRC32 of them', async () => {
    const parts = [Buffer.alloc(70_000, 1), Buffer.alloc(3, 2), Buffer.alloc(100_001, 3)];
    const whole = Buffer.concat(parts);
    const client = new S3Client({
      region: 'eu-west-3',
      endpoint: server.endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    });
    const blobs = createS3BlobStore({ client, bucket: 'documents' });
    async function* arriving() {
      for (const part of parts) yield part;
    }

    await blobs.putStream({
      key: 'certified.pdf',
      chunks: arriving(),
      size: whole.length,
      contentType: 'application/pdf',
    });

    const request = server.received.at(-1) as RecordedRequest;
    expect([request.method, request.path.split('?')[0]]).toEqual(['PUT', '/documents/certified.pdf']);
    const chunked = String(request.headers['content-encoding'] ?? '').includes('aws-chunked');
    const { data, trailers } = chunked ? decodeAwsChunked(request.body) : { data: request.body, trailers: {} };
    expect(data.equals(whole)).toBe(true);
    const declared = chunked ? request.headers['x-amz-decoded-content-length'] : request.headers['content-length'];
    expect(Number(declared)).toBe(whole.length);
    const checksum = trailers['x-amz-checksum-crc32'] ?? request.headers['x-amz-checksum-crc32'];
    const expected = Buffer.alloc(4);
    expected.writeUInt32BE(crc32(whole));
    expect(checksum).toBe(expected.toString('base64'));
  });
});
