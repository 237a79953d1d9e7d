// The stand-in of the remote TSA and CRL server for the in-process bench, in a process of its own
// (`node --import tsx trust-services-process.ts <dataDir> <url>`), started once by the bench and
// serving every child. A real time-stamp authority is another machine, already warm from serving
// others: its CPU time and memory are not the function's, only the round trip is. Run in the
// function's process, the stand-in's own cold code (building its first token) was most of a fresh
// process's first certify (12-15 ms against 4-6 ms warm), and on a thread of that process its
// memory counted in the function's peak RSS. It answers one request of its own, then prints
// "ready".
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { createHttpTimestampAuthority } from '../lambdas/adapters/http/rfc3161-timestamp-authority.ts';
import { serveLocalTrustServices } from '../lambdas/runtime/local-trust-routes.ts';

const [dataDir, trustUrl] = process.argv.slice(2) as [string, string];
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
process.stdout.write('ready\n');
