// The local S3 client's transfer settings, seen at the wire: the real SDK client against a small
// HTTP stub that records what each request carried and on which connection it came.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLocalS3Client } from '../../lambdas/runtime/local-services.ts';

type Received = { headers: IncomingHttpHeaders; connection: number; bytes: number };

let server: Server;
let client: S3Client;
const received: Received[] = [];

beforeAll(async () => {
  const connections = new WeakMap<Socket, number>();
  let opened = 0;
  server = createServer((request, response) => {
    let bytes = 0;
    request.on('data', (chunk: Buffer) => {
      bytes += chunk.byteLength;
    });
    request.on('end', () => {
      received.push({
        headers: request.headers,
        connection: connections.get(request.socket) ?? -1,
        bytes,
      });
      response.writeHead(200, { etag: '"stub"', 'content-length': 0 }).end();
    });
  });
  server.on('connection', (socket: Socket) => {
    opened += 1;
    connections.set(socket, opened);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  client = createLocalS3Client(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});

beforeEach(() => {
  received.length = 0;
});

afterAll(async () => {
  client?.destroy();
  await new Promise((resolve) => server?.close(resolve));
});

/** Two document-sized PUTs (over the SDK's 2 MB threshold for `Expect: 100-continue`), one after the other. */
async function putTwoDocuments(): Promise<void> {
  const body = new Uint8Array(3 * 1024 * 1024).fill(7);
  for (const key of ['a.pdf', 'b.pdf'])
    await client.send(
      new PutObjectCommand({ Bucket: 'documents', Key: key, Body: body, ContentType: 'application/pdf' }),
    );
}

describe('local S3 client', () => {
  it('sends a large PUT body at once, without waiting for 100 Continue', async () => {
    await putTwoDocuments();

    expect(received.map((r) => [r.headers.expect, r.bytes])).toEqual([
      [undefined, 3 * 1024 * 1024],
      [undefined, 3 * 1024 * 1024],
    ]);
  });

  it('sends consecutive large PUTs over one kept-alive connection', async () => {
    await putTwoDocuments();

    expect(received).toHaveLength(2);
    expect(received[1]?.connection).toBe(received[0]?.connection);
  });

  it('still marks every PUT body UNSIGNED-PAYLOAD once its middleware is cached', async () => {
    await putTwoDocuments();

    expect(received.map((r) => r.headers['x-amz-content-sha256'])).toEqual(['UNSIGNED-PAYLOAD', 'UNSIGNED-PAYLOAD']);
  });
});
