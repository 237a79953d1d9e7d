// The trust services' HTTP client (node:http, kept-alive connections) against a real local server.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'node:net';
import { openConnection, requestBytes } from '../../lambdas/adapters/http/http-request.ts';

let server: Server;
let base: string;
const sockets = new Set<unknown>();

beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.url === '/moved') response.writeHead(302, { location: '/crl' }).end();
      else if (request.url === '/crl') response.writeHead(200).end(Buffer.from([1, 2, 3]));
      else if (request.url === '/echo') response.writeHead(200).end(Buffer.concat(chunks));
      else if (request.url === '/big') response.writeHead(200).end(Buffer.alloc(4096));
      else if (request.url === '/slow') setTimeout(() => response.writeHead(200).end(), 2000);
      else response.writeHead(404).end();
    });
  });
  server.on('connection', (socket) => sockets.add(socket));
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((done) => server.close(() => done()));
});

describe('requestBytes', () => {
  it('posts a body and reads the answer, reusing one kept-alive connection', async () => {
    const first = await requestBytes({
      url: `${base}/echo`,
      method: 'POST',
      body: new Uint8Array([7, 8]),
      timeoutMs: 1000,
    });
    const second = await requestBytes({
      url: `${base}/echo`,
      method: 'POST',
      body: new Uint8Array([9]),
      timeoutMs: 1000,
    });
    expect([...first.body, ...second.body]).toEqual([7, 8, 9]);
    expect(sockets.size).toBe(1);
  });

  it('follows a redirect for a GET, as fetch did', async () => {
    const response = await requestBytes({ url: `${base}/moved`, timeoutMs: 1000 });
    expect(response.status).toBe(200);
    expect([...response.body]).toEqual([1, 2, 3]);
  });

  it('gives the status of a failed request', async () => {
    expect((await requestBytes({ url: `${base}/missing`, timeoutMs: 1000 })).status).toBe(404);
  });

  it('fails when the server does not answer within the timeout', async () => {
    await expect(requestBytes({ url: `${base}/slow`, timeoutMs: 200 })).rejects.toThrow(/did not answer within 200 ms/);
  });

  it('refuses a response larger than the cap', async () => {
    await expect(requestBytes({ url: `${base}/big`, timeoutMs: 1000, maxBytes: 1000 })).rejects.toThrow(/larger than/);
  });
});

describe('openConnection', () => {
  let tsa: Server;
  let tsaBase: string;
  const connections: Socket[] = [];
  /** Requests served per connection: a connection's second /flaky request is reset unanswered. */
  const served = new Map<Socket, number>();

  beforeAll(async () => {
    tsa = createServer((request, response) => {
      const count = (served.get(request.socket) ?? 0) + 1;
      served.set(request.socket, count);
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        if (request.method === 'GET') response.writeHead(405).end('Use POST');
        else if (request.url === '/flaky' && count > 1) request.socket.resetAndDestroy();
        else response.writeHead(200).end(Buffer.concat(chunks));
      });
    });
    tsa.on('connection', (socket) => connections.push(socket));
    await new Promise<void>((done) => tsa.listen(0, '127.0.0.1', () => done()));
    tsaBase = `http://127.0.0.1:${(tsa.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    tsa.closeAllConnections();
    await new Promise<void>((done) => tsa.close(() => done()));
  });

  it('opens a connection that the next request uses', async () => {
    await openConnection({ url: `${tsaBase}/tsa`, timeoutMs: 1000 });
    const opened = connections.length;

    const response = await requestBytes({
      url: `${tsaBase}/tsa`,
      method: 'POST',
      body: new Uint8Array([5]),
      timeoutMs: 1000,
    });

    expect(opened).toBe(1);
    expect(connections).toHaveLength(1);
    expect([...response.body]).toEqual([5]);
  });

  it('sends a request again on a new connection when the server resets the kept-alive one', async () => {
    await openConnection({ url: `${tsaBase}/flaky`, timeoutMs: 1000 });
    const before = connections.length;

    const response = await requestBytes({
      url: `${tsaBase}/flaky`,
      method: 'POST',
      body: new Uint8Array([6]),
      timeoutMs: 1000,
    });

    expect([...response.body]).toEqual([6]);
    expect(connections.length).toBe(before + 1);
  });

  it('leaves a server that cannot be reached for the next request to meet', async () => {
    await expect(openConnection({ url: 'http://127.0.0.1:1/tsa', timeoutMs: 500 })).resolves.toBeUndefined();
  });
});
