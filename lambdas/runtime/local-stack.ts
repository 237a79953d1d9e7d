// `npm start`: the whole product on this machine in one process. dynalite and s3rver (on disk
// in the data directory), the SMTP inbound server, and one HTTP server for the API (through
// the API Gateway event adapter), the static web pages and the dev outbox page.
import { createReadStream } from 'node:fs';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { Deps } from '../core/deps.ts';
import { isDomainError } from '../core/errors.ts';
import { retryFinalization } from '../core/finalize/retry-finalization.ts';
import type { Clock, Workflow } from '../core/ports.ts';
import type { ServiceSettings } from '../core/settings.ts';
import { problemFromError } from '../handlers/http/problem-responses.ts';
import { createIntakeHandler } from '../handlers/intake-receipts.ts';
import { createLocalDeps, LOCAL_DOCUMENTS_BUCKET, LOCAL_RAW_BUCKET, LOCAL_TABLE } from './local.ts';
import { decodePathPart, toHttpApiEvent, writeHttpApiResult, type LocalHttpHandler } from './local-http-gateway.ts';
import { readOutbox, renderOutboxPage } from './local-outbox-page.ts';
import { pickAttachment, readOutboxMail, renderOutboxMail } from './local-outbox-mail-view.ts';
import {
  createLocalDynamoDbClient,
  createLocalS3Client,
  ensureBucket,
  ensureTable,
  startDynalite,
  startS3rver,
} from './local-services.ts';
import { durableRawMail, resumeUnfinishedWork, retryLikeLambda } from './local-resume.ts';
import { startLocalSmtp } from './local-smtp.ts';
import { createAdjustableClock, createLocalScheduler } from './local-scheduler.ts';
import { systemClock } from '../adapters/node/system-clock-and-random.ts';
import { serveLocalTrustServices } from './local-trust-routes.ts';
import { hasLocalSeal } from '../adapters/local/local-pki.ts';
import { prefetchChainCrls } from '../core/pdf/revocation-info.ts';
import { traceDeps, type PipelineTrace } from './local-pipeline-trace.ts';

export type StartLocalStackOptions = {
  host: string;
  port: number;
  smtpPort: number;
  dataDir: string;
  publicUrl?: string;
  /** Folder of the built web pages (web/dist). */
  webRoot: string;
  clock?: Clock;
  settings?: Partial<ServiceSettings>;
  /** Time-stamp services; default: the stack's own at <http>/dev/tsa. An empty list seals B-B. */
  tsaUrls?: string[];
  /** Per time-stamp service (default 2 s locally). */
  tsaTimeoutMs?: number;
  /** The API routes: path prefix -> handler factory, given the deps once they exist. */
  routes: Array<{ prefix: string; create: (getDeps: () => Deps) => LocalHttpHandler }>;
  /** The finalization runner, given the deps once they exist. */
  createWorkflow: (
    getDeps: () => Deps,
    log: (line: string) => void,
  ) => Workflow & { idle?(): Promise<void>; running?(envelopeId: string): boolean };
  log?: (line: string) => void;
  /** Records every port call, attributed to the workflow state that made it (the pipeline benchmark). */
  trace?: PipelineTrace;
  /** How often scheduled jobs are swept by the local clock (60 s; 0: only on POST /dev/jobs/run). */
  jobsIntervalMs?: number;
};

export type LocalStack = {
  httpUrl: string;
  smtpPort: number;
  dataDir: string;
  deps: Deps;
  /** Resolves once every accepted inbound message went through intake and every finalization run ended. */
  idle(): Promise<void>;
  stop(): Promise<void>;
};

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.map': 'application/json',
  '.ico': 'image/x-icon',
  '.webmanifest': 'application/manifest+json',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
  '.bcmap': 'application/octet-stream',
  '.pfb': 'application/octet-stream',
  '.icc': 'application/vnd.iccprofile',
  '.eml': 'message/rfc822',
};

async function sendFile(response: ServerResponse, root: string, relative: string): Promise<boolean> {
  const base = resolve(root);
  const path = normalize(join(base, relative));
  if (path !== base && !path.startsWith(base + sep)) return false;
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) return false;
  response.writeHead(200, {
    'content-type': CONTENT_TYPES[extname(path)] ?? 'application/octet-stream',
    'content-length': info.size,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  });
  createReadStream(path).pipe(response);
  return true;
}

/** Written in the data directory while the stack runs: how other processes reach its services. */
export const LOCAL_ENDPOINTS_FILE = 'endpoints.json';
export type LocalEndpoints = {
  dynamodb: string;
  s3: string;
  table: string;
  http: string;
  /** Where the stack receives mail (`mailsign send`). */
  smtp?: { host: string; port: number };
};

async function writeLocalEndpoints(dataDir: string, endpoints: LocalEndpoints): Promise<void> {
  const temporary = join(dataDir, `.${LOCAL_ENDPOINTS_FILE}.tmp`);
  await writeFile(temporary, `${JSON.stringify(endpoints, null, 2)}\n`);
  await rename(temporary, join(dataDir, LOCAL_ENDPOINTS_FILE));
}

function sendText(response: ServerResponse, status: number, type: string, body: string): void {
  response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  response.end(body);
}

export async function startLocalStack(options: StartLocalStackOptions): Promise<LocalStack> {
  const log = options.log ?? (() => {});
  const dataDir = resolve(options.dataDir);
  await mkdir(dataDir, { recursive: true });
  const dynamo = await startDynalite({ host: '127.0.0.1', port: 0, path: join(dataDir, 'dynamodb') });
  const s3 = await startS3rver({
    host: '127.0.0.1',
    port: 0,
    directory: join(dataDir, 's3'),
    buckets: [LOCAL_RAW_BUCKET, LOCAL_DOCUMENTS_BUCKET],
  });
  const dynamodb = createLocalDynamoDbClient(dynamo.endpoint);
  const s3Client = createLocalS3Client(s3.endpoint);
  await ensureTable({ client: dynamodb, table: LOCAL_TABLE });
  for (const bucket of [LOCAL_RAW_BUCKET, LOCAL_DOCUMENTS_BUCKET]) await ensureBucket({ client: s3Client, bucket });

  let deps: Deps | undefined;
  const getDeps = () => {
    if (!deps) throw new Error('The local stack is still starting');
    return deps;
  };
  const routes = options.routes.map((route) => ({ prefix: route.prefix, handle: route.create(getDeps) }));
  const clock = createAdjustableClock(options.clock ?? systemClock);
  const scheduler = createLocalScheduler({ clock, getDeps, intervalMs: options.jobsIntervalMs, log });
  let ready = false;
  let trustServices: ReturnType<typeof serveLocalTrustServices> | undefined;

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    void handle(request, response).catch((error: unknown) => {
      if (isDomainError(error) && !response.headersSent) {
        // Refused before any handler ran (body too large, malformed path): the one HTTP table.
        writeHttpApiResult(response, problemFromError(error).response);
        return;
      }
      log(`HTTP error: ${(error as Error).message}`);
      if (!response.headersSent)
        sendText(
          response,
          500,
          'application/problem+json',
          JSON.stringify({ status: 500, code: 'INTERNAL', title: 'Internal error' }),
        );
      else response.destroy();
    });
  });
  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path === '/api/health') {
      sendText(response, ready ? 200 : 503, 'application/json', JSON.stringify({ status: ready ? 'ok' : 'starting' }));
      return;
    }
    const route = routes.find((r) => path === r.prefix || path.startsWith(`${r.prefix}/`));
    if (route) {
      writeHttpApiResult(response, await route.handle(await toHttpApiEvent(request)));
      return;
    }
    if (path.startsWith('/dev/') && (await scheduler.handle(request, response, path))) return;
    if (trustServices && (await trustServices.handle(path, request, response))) return;
    if (path === '/dev/outbox') {
      sendText(response, 200, 'text/html; charset=utf-8', renderOutboxPage(await readOutbox(dataDir)));
      return;
    }
    const retry = /^\/dev\/envelopes\/([^/]+)\/retry-finalization$/.exec(path);
    if (retry && request.method === 'POST') {
      const envelopeId = decodePathPart(retry[1] ?? '');
      // This process runs every local finalization: a `finalizing` envelope without a live run is stuck.
      const noLiveRun = workflow.running ? !workflow.running(envelopeId) : false;
      const result = await retryFinalization({ deps: getDeps(), envelopeId, noLiveRun }).then(
        (value) => ({ status: 202, body: value as unknown }),
        (error: unknown) => {
          if (!isDomainError(error)) throw error;
          return {
            status: error.code === 'NOT_FOUND' ? 404 : 409,
            body: { status: error.code === 'NOT_FOUND' ? 404 : 409, code: error.code, detail: error.message },
          };
        },
      );
      sendText(
        response,
        result.status,
        result.status === 202 ? 'application/json' : 'application/problem+json',
        JSON.stringify(result.body),
      );
      return;
    }
    const view = /^\/dev\/outbox\/view\/([^/]+)$/.exec(path);
    const mail = view ? await readOutboxMail({ dataDir, file: decodeURIComponent(view[1] ?? '') }) : undefined;
    if (view && mail) {
      sendText(
        response,
        200,
        'text/html; charset=utf-8',
        renderOutboxMail({ mail, file: decodeURIComponent(view[1] ?? '') }),
      );
      return;
    }
    const part = /^\/dev\/outbox\/attachment\/([^/]+)\/(\d+)$/.exec(path);
    const partMail = part ? await readOutboxMail({ dataDir, file: decodeURIComponent(part[1] ?? '') }) : undefined;
    const attachment = part && partMail ? pickAttachment(partMail, Number(part[2])) : undefined;
    if (attachment) {
      response.writeHead(200, {
        'Content-Type': attachment.contentType,
        'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(attachment.filename)}`,
      });
      response.end(attachment.content);
      return;
    }
    if (path === '/dev/outbox.json') {
      sendText(response, 200, 'application/json', JSON.stringify(await readOutbox(dataDir)));
      return;
    }
    if (
      path.startsWith('/dev/outbox/mail/') &&
      (await sendFile(response, join(dataDir, 'outbox', 'mail'), decodePathPart(path.slice(17))))
    )
      return;
    if (path.startsWith('/api/')) {
      sendText(
        response,
        404,
        'application/problem+json',
        JSON.stringify({ status: 404, code: 'NOT_FOUND', title: 'No such API route' }),
      );
      return;
    }
    if (await sendFile(response, options.webRoot, path === '/' ? 'index.html' : decodePathPart(path))) return;
    sendText(response, 404, 'text/plain; charset=utf-8', 'Not found');
  }
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(options.port, options.host, () => done());
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = options.host === '0.0.0.0' || options.host === '127.0.0.1' ? 'localhost' : options.host;
  const httpUrl = `http://${shownHost}:${port}`;
  const publicUrl = options.publicUrl ?? httpUrl;
  trustServices = serveLocalTrustServices({ dataDir, httpUrl, clock: options.clock });
  const localDeps = createLocalDeps({
    crlUrl: trustServices.crlUrl,
    tsaUrls: options.tsaUrls ?? [trustServices.tsaUrl],
    tsaTimeoutMs: options.tsaTimeoutMs,
    dataDir,
    publicUrl,
    dynamodb,
    s3: s3Client,
    clock,
    settings: options.settings,
    workflow: { startFinalization: (input) => workflow.startFinalization(input) },
  });
  deps = options.trace ? traceDeps(localDeps, options.trace) : localDeps;
  // As the Certify function's initialisation does on AWS (handlers/finalize-certify.ts): with its
  // seal already made (a data directory used before), the seal chain's CRLs are requested now, not
  // by the first document. A fresh data directory makes its seal on first use, not at start-up.
  if (deps.revocationSource && (await hasLocalSeal(dataDir)))
    void prefetchChainCrls({ signer: deps.digestSigner, source: deps.revocationSource });
  const workflow = options.createWorkflow(getDeps, log);
  const intake = retryLikeLambda(createIntakeHandler(getDeps));
  const smtp = await startLocalSmtp({
    host: options.host,
    port: options.smtpPort,
    rawMail: durableRawMail(deps),
    intake,
    onError: (error) => log(`Intake error: ${(error as Error).stack ?? String(error)}`),
  });
  // The admin CLI cannot open dynalite's LevelDB while it runs (it is locked): it talks to this stack.
  await writeLocalEndpoints(dataDir, {
    dynamodb: dynamo.endpoint,
    s3: s3.endpoint,
    table: LOCAL_TABLE,
    http: httpUrl,
    smtp: { host: options.host === '0.0.0.0' ? '127.0.0.1' : options.host, port: smtp.port },
  });
  // Before answering healthy: what a killed process left is resumed (or at least started) first.
  await resumeUnfinishedWork({ deps, log }).catch((error: unknown) =>
    log(`Resume error: ${(error as Error).stack ?? String(error)}`),
  );
  ready = true;
  return {
    httpUrl,
    smtpPort: smtp.port,
    dataDir,
    deps,
    async idle() {
      await smtp.idle();
      await workflow.idle?.();
    },
    async stop() {
      ready = false;
      scheduler.stop();
      await rm(join(dataDir, LOCAL_ENDPOINTS_FILE), { force: true });
      await smtp.stop();
      await workflow.idle?.();
      await new Promise<void>((done) => server.close(() => done()));
      server.closeAllConnections?.();
      await dynamo.stop();
      await s3.stop();
    },
  };
}
