// The RFC 3161 HTTP adapter against small real HTTP servers: a service that errs, refuses, or
// answers for another digest is skipped for the next; none left is a retryable error.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpTimestampAuthority } from '../../lambdas/adapters/http/rfc3161-timestamp-authority.ts';
import { createLocalTimestampService } from '../../lambdas/adapters/local/local-timestamp-service.ts';
import { systemClock } from '../../lambdas/adapters/node/system-clock-and-random.ts';
import { createTimestampRequest, readTimestampToken } from '../../lambdas/core/pdf/timestamp-token.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'mailsign-tsa-'));
const servers: Server[] = [];
const service = createLocalTimestampService({ dataDir, crlUrl: 'http://127.0.0.1:9/root.crl', clock: systemClock });
let replayed: Uint8Array | undefined;

/** Connections each server accepted, by its URL's port. */
const connectionsByPort = new Map<number, number>();

async function serve(answer: (body: Buffer) => Promise<{ status: number; body: Uint8Array }>): Promise<string> {
  const server = createServer((request, response) => {
    if (request.method === 'GET') {
      response.writeHead(405).end();
      return;
    }
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      void answer(Buffer.concat(chunks)).then(({ status, body }) => {
        response.writeHead(status, { 'content-type': 'application/timestamp-reply' });
        response.end(body);
      });
    });
  });
  servers.push(server);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
  const { port } = server.address() as AddressInfo;
  server.on('connection', () => connectionsByPort.set(port, (connectionsByPort.get(port) ?? 0) + 1));
  return `http://127.0.0.1:${port}/tsa`;
}

let good: string;
let failing: string;
let replaying: string;
const digest = new Uint8Array(32).fill(7);

beforeAll(async () => {
  good = await serve(async (body) => ({ status: 200, body: await service.respond(new Uint8Array(body)) }));
  replayed = await service.respond(
    createTimestampRequest({ digest: new Uint8Array(32).fill(1), nonce: new Uint8Array([1, 2, 3, 4]) }),
  );
  failing = await serve(async () => ({ status: 503, body: new Uint8Array() }));
  // Answers every request with the first reply it saw: a token over another digest.
  replaying = await serve(async () => ({ status: 200, body: replayed! }));
});
afterAll(async () => {
  for (const server of servers) await new Promise<void>((done) => server.close(() => done()));
  rmSync(dataDir, { recursive: true, force: true });
});

describe('createHttpTimestampAuthority', () => {
  it('opens the first service connection ahead, and the first time-stamp uses it', async () => {
    const url = await serve(async (body) => ({ status: 200, body: await service.respond(new Uint8Array(body)) }));
    const port = Number(new URL(url).port);
    const authority = createHttpTimestampAuthority({ urls: [url, failing] });

    await authority.connect?.();
    const opened = connectionsByPort.get(port);
    const token = await authority.timestamp(digest);

    expect(opened).toBe(1);
    expect(connectionsByPort.get(port)).toBe(1);
    expect([...readTimestampToken(token).imprint]).toEqual([...digest]);
  });

  it('skips a service answering HTTP 503 and returns the next one’s token over the digest', async () => {
    const token = await createHttpTimestampAuthority({ urls: [failing, good] }).timestamp(digest);
    expect([...readTimestampToken(token).imprint]).toEqual([...digest]);
  });

  it('skips a service whose token is over another digest', async () => {
    const token = await createHttpTimestampAuthority({ urls: [replaying, good] }).timestamp(digest);
    expect([...readTimestampToken(token).imprint]).toEqual([...digest]);
    await expect(createHttpTimestampAuthority({ urls: [replaying] }).timestamp(digest)).rejects.toThrow(
      /another digest/,
    );
  });

  it('fails with a retryable TransientError naming each service when none answers', async () => {
    const failure = await createHttpTimestampAuthority({ urls: [failing, replaying] })
      .timestamp(digest)
      .catch((error: Error) => error);
    expect(failure).toMatchObject({ name: 'TransientError' });
    expect((failure as Error).message).toMatch(/HTTP 503.*another digest/);
  });

  it('names the services by host for the audit page', () => {
    expect(
      createHttpTimestampAuthority({ urls: ['https://tsa.example.org/a', 'http://ts.example.net'] }).describe(),
    ).toBe('tsa.example.org, ts.example.net');
  });
});
