// The stand-in of the remote TSA and CRL server for the in-process bench, on its own thread. A real
// time-stamp authority is another machine, already warm from serving others: its CPU time is not the
// function's, only the round trip is. Run in the function's thread, the stand-in's own cold code
// (building its first token) was most of a fresh process's first certify (12-15 ms against 4-6 ms
// warm). Here it answers one request of its own before it says it is ready, from this thread's
// isolate: the function's code stays as cold as a fresh Lambda's.
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';
import { createHttpTimestampAuthority } from '../lambdas/adapters/http/rfc3161-timestamp-authority.ts';
import { serveLocalTrustServices } from '../lambdas/runtime/local-trust-routes.ts';

export type TrustServicesThreadData = { dataDir: string; trustUrl: string };

const { dataDir, trustUrl } = workerData as TrustServicesThreadData;
const services = serveLocalTrustServices({ dataDir, httpUrl: trustUrl });
const server = createServer((request, response) => {
  void services.handle(new URL(request.url ?? '/', 'http://x').pathname, request, response).then((done) => {
    if (!done) response.writeHead(404).end();
  });
});
await new Promise<void>((done) => server.listen(Number(new URL(trustUrl).port), '127.0.0.1', () => done()));
const warmUp = createHttpTimestampAuthority({ urls: [services.tsaUrl] });
await warmUp.timestamp(createHash('sha256').update('warm-up').digest());
await fetch(services.crlUrl).then((response) => response.arrayBuffer());
parentPort?.postMessage({ crlUrl: services.crlUrl, tsaUrl: services.tsaUrl });
