// The local stack's trust services on its HTTP server: the root's CRL at /pki/root.crl (named by
// the seal and TSA certificates) and the RFC 3161 time-stamp authority at /dev/tsa.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createLocalTimestampService } from '../adapters/local/local-timestamp-service.ts';
import { systemClock } from '../adapters/node/system-clock-and-random.ts';
import type { Clock } from '../core/ports.ts';

export const LOCAL_CRL_PATH = '/pki/root.crl';
export const LOCAL_TSA_PATH = '/dev/tsa';
const MAX_REQUEST_BYTES = 64 * 1024;

export type ServeLocalTrustServicesOptions = { dataDir: string; httpUrl: string; clock?: Clock };

async function readBody(request: IncomingMessage): Promise<Uint8Array | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_REQUEST_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

export function serveLocalTrustServices(options: ServeLocalTrustServicesOptions) {
  const crlUrl = `${options.httpUrl}${LOCAL_CRL_PATH}`;
  const service = createLocalTimestampService({
    dataDir: options.dataDir,
    crlUrl,
    clock: options.clock ?? systemClock,
  });
  return {
    crlUrl,
    tsaUrl: `${options.httpUrl}${LOCAL_TSA_PATH}`,
    /** True when the request was one of these routes (and was answered). */
    async handle(path: string, request: IncomingMessage, response: ServerResponse): Promise<boolean> {
      if (path === LOCAL_CRL_PATH && request.method === 'GET') {
        const crl = await service.rootCrl();
        response.writeHead(200, { 'content-type': 'application/pkix-crl', 'cache-control': 'no-store' });
        response.end(crl);
        return true;
      }
      if (path === LOCAL_TSA_PATH && request.method === 'POST') {
        const body = await readBody(request);
        if (!body || request.headers['content-type'] !== 'application/timestamp-query') {
          response.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
          response.end('POST an application/timestamp-query (RFC 3161).');
          return true;
        }
        const reply = await service.respond(body);
        response.writeHead(200, { 'content-type': 'application/timestamp-reply' });
        response.end(reply);
        return true;
      }
      return false;
    },
  };
}
