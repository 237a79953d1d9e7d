// A local HTTP stub standing in for an AWS endpoint (mocking at the wire): it records every
// request as received (method, path, headers, whole body) and answers what `respond` says.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export type RecordedRequest = { method: string; path: string; headers: IncomingHttpHeaders; body: Buffer };

export type StubAnswer = { status: number; headers?: Record<string, string>; body?: string };

export type RecordingServer = { endpoint: string; received: RecordedRequest[]; close(): Promise<void> };

export async function startRecordingServer(
  respond: (request: RecordedRequest) => StubAnswer,
): Promise<RecordingServer> {
  const received: RecordedRequest[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const recorded = {
        method: request.method ?? '',
        path: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks),
      };
      received.push(recorded);
      const answer = respond(recorded);
      response.writeHead(answer.status, answer.headers).end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
