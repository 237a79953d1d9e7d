// Transfers of the local stack (`npm run bench -- --transfer`): what one 20 MB document GET and
// PUT, one 64 KB GET and PUT, and one table round trip, cost between our real SDK clients (runtime/local-services.ts)
// and the real local servers (s3rver, dynalite, on their threads as the local stack starts them),
// against floors measured in the same run: a bare node:http server on a worker thread streaming
// the same file from disk / to disk, and a small JSON answer from it. Between them, a plain
// node:http client against s3rver (unsigned, which s3rver serves) and a replay of one signed
// GetItem against dynalite separate the servers' cost from the SDK's. The exchanges run
// interleaved, round after round, so a busy neighbour on the machine slows all of them alike;
// per exchange: median wall time, the main thread's busy time (where the API and the workflow
// run) and the CPU time of the whole process (every thread: client, server, GC). Each measured
// exchange starts from a collected heap (a forced full GC before it, not timed): otherwise the
// garbage of one exchange (a 20 MB GET leaves 40 MB of buffers) is collected during the next one
// and billed to it. Nothing is asserted.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Worker } from 'node:worker_threads';
import { createDynamoDbStore } from '../lambdas/adapters/aws/dynamodb-store.ts';
import { createS3BlobStore } from '../lambdas/adapters/aws/s3-blob-store.ts';
import {
  createLocalDynamoDbClient,
  createLocalS3Client,
  ensureBucket,
  ensureTable,
  startDynalite,
  startS3rver,
} from '../lambdas/runtime/local-services.ts';

const DOCUMENT_MB = 20;
const WARM_ROUNDS = 2;
const ROUNDS = 9;
/** Table round trips per measured run (one is too short to time). */
const ROUND_TRIPS = 25;
const SMALL_BYTES = 64 * 1024;
const BALLAST_MB = 80;

/** About `megabytes` of small live objects on the heap, as a long-running process holds. */
function holdLiveObjects(megabytes: number): object[] {
  const held: object[] = [];
  const started = process.memoryUsage().heapUsed;
  while (process.memoryUsage().heapUsed - started < megabytes * 1024 * 1024) {
    for (let i = 0; i < 10_000; i += 1) held.push({ id: `item ${held.length}`, at: held.length, tags: ['a', 'b'] });
  }
  return held;
}

// The floor server: what any HTTP file server on its own thread must do at least (stream the file
// from disk, stream the upload to disk), and a small JSON answer for the round-trip floor.
const FLOOR_THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const { createServer } = require('node:http');
const fs = require('node:fs');
const { join } = require('node:path');
const answer = JSON.stringify({ Item: { pk: { S: 'ENV#bench' }, sk: { S: 'META' }, status: { S: 'signing' } } });
const server = createServer((req, res) => {
  const file = join(workerData.directory, 'floor' + req.url.replace(/[^a-z0-9]/gi, '-'));
  if (req.method === 'GET') {
    fs.stat(file, (error, stat) => {
      if (error) return res.writeHead(404).end();
      res.writeHead(200, { 'content-length': stat.size, 'content-type': 'application/octet-stream' });
      fs.createReadStream(file).pipe(res);
    });
  } else if (req.method === 'PUT') {
    req.pipe(fs.createWriteStream(file)).on('finish', () => res.writeHead(200, { 'content-length': 0 }).end());
  } else {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0', 'content-length': Buffer.byteLength(answer) });
      res.end(answer);
    });
  }
});
server.listen(0, '127.0.0.1', () => parentPort.postMessage({ port: server.address().port }));
parentPort.once('message', () => server.close(() => process.exit(0)));
`;

async function startFloorServer(directory: string): Promise<{ endpoint: string; stop(): Promise<void> }> {
  const worker = new Worker(FLOOR_THREAD, { eval: true, workerData: { directory }, execArgv: [] });
  const { port } = await new Promise<{ port: number }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: async () => {
      const exited = new Promise((resolve) => worker.once('exit', resolve));
      worker.postMessage('stop');
      await exited;
    },
  };
}

type PlainExchange = {
  method: string;
  url: string;
  agent: Agent;
  body?: Uint8Array | string;
  headers?: Record<string, string>;
};

/** One plain node:http exchange; the answer read into one buffer of its announced length. */
function exchange({ method, url, agent, body, headers }: PlainExchange): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, agent, headers }, (response) => {
      const bytes = Buffer.allocUnsafeSlow(Number(response.headers['content-length'] ?? 0));
      let at = 0;
      response.on('data', (chunk: Buffer) => {
        at += chunk.copy(bytes, at);
      });
      response.on('end', () =>
        response.statusCode === 200 ? resolve(bytes) : reject(new Error(`HTTP ${response.statusCode} for ${url}`)),
      );
      response.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

// The bench's own process only: `gc()` as `--expose-gc` would give it, to start each exchange clean.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

type Sample = { wallMs: number; mainMs: number; cpuMs: number };
export type TransferRow = {
  label: string;
  floor: string;
  wallMs: number;
  /** The fastest round: on a shared machine, the closest to the exchange's own cost. */
  bestWallMs: number;
  mainMs: number;
  cpuMs: number;
};

async function sample(run: () => Promise<unknown>, repeat: number): Promise<Sample> {
  collectGarbage();
  const cpu = process.cpuUsage();
  const loop = performance.eventLoopUtilization();
  const started = performance.now();
  for (let i = 0; i < repeat; i += 1) await run();
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return {
    wallMs: wallMs / repeat,
    mainMs: performance.eventLoopUtilization(loop).active / repeat,
    cpuMs: (used.user + used.system) / 1000 / repeat,
  };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

type Exchange = { label: string; floor: string; repeat: number; run: () => Promise<unknown> };

/** Runs every exchange once per round, in a rotating order, rounds after warm-up; the medians per exchange. */
async function measureInterleaved(exchanges: Exchange[]): Promise<TransferRow[]> {
  const samples = exchanges.map(() => [] as Sample[]);
  for (let round = 0; round < WARM_ROUNDS + ROUNDS; round += 1) {
    // The first large transfer after the table round trips (or after any pause) measured up to
    // 60% slower, whichever exchange came first: one unmeasured transfer opens each round.
    await exchanges[0]?.run();
    // Each round starts one exchange further: no exchange always follows the same one (whose
    // garbage or busy server it would inherit); a fixed order showed gains that were only positions.
    for (let step = 0; step < exchanges.length; step += 1) {
      const index = (round + step) % exchanges.length;
      const { run, repeat } = exchanges[index] as Exchange;
      const measured = await sample(run, repeat);
      if (round >= WARM_ROUNDS) samples[index]?.push(measured);
    }
  }
  return exchanges.map(({ label, floor }, index) => {
    const runs = samples[index] ?? [];
    return {
      label,
      floor,
      wallMs: median(runs.map((s) => s.wallMs)),
      bestWallMs: Math.min(...runs.map((s) => s.wallMs)),
      mainMs: median(runs.map((s) => s.mainMs)),
      cpuMs: median(runs.map((s) => s.cpuMs)),
    };
  });
}

export async function measureLocalTransfers(): Promise<TransferRow[]> {
  const work = mkdtempSync(join(tmpdir(), 'mailsign-transfer-'));
  const floor = await startFloorServer(work);
  const s3 = await startS3rver({ host: '127.0.0.1', port: 0, directory: join(work, 's3'), buckets: ['documents'] });
  const dynamo = await startDynalite({ host: '127.0.0.1', port: 0, path: join(work, 'dynamodb') });
  const agent = new Agent({ keepAlive: true });
  const s3Client = createLocalS3Client(s3.endpoint);
  const dynamoClient = createLocalDynamoDbClient(dynamo.endpoint);
  // The same clients with the SDK's defaults (Expect: 100-continue on a new connection for large
  // bodies, middleware resolved on every call): what the local settings save, in the same run.
  const s3Defaults = createLocalS3Client(s3.endpoint, { sdkDefaults: true });
  const dynamoDefaults = createLocalDynamoDbClient(dynamo.endpoint, { sdkDefaults: true });
  try {
    const document = new Uint8Array(randomBytes(DOCUMENT_MB * 1024 * 1024));
    writeFileSync(join(work, 'floor-doc'), document);
    // A small object (an incremental update, a signature image): the fixed cost of one exchange.
    const small = document.subarray(0, SMALL_BYTES);
    writeFileSync(join(work, 'floor-small'), small);
    await ensureBucket({ client: s3Client, bucket: 'documents' });
    const blobs = createS3BlobStore({ client: s3Client, bucket: 'documents' });
    await blobs.put({ key: 'doc', body: document, contentType: 'application/pdf' });
    await blobs.put({ key: 'small', body: small, contentType: 'application/pdf' });
    await ensureTable({ client: dynamoClient, table: 'bench' });
    const store = createDynamoDbStore({ client: dynamoClient, table: 'bench' });
    const blobsDefaults = createS3BlobStore({ client: s3Defaults, bucket: 'documents' });
    const storeDefaults = createDynamoDbStore({ client: dynamoDefaults, table: 'bench' });
    const key = { pk: 'ENV#bench', sk: 'META' };
    const item = { ...key, status: 'signing', signers: 3, owner: 'ACC#bench', version: 1 };
    await store.put(item);
    // One GetItem exactly as the SDK signs and sends it, replayed as is (dynalite checks the
    // signature's form, not its age): the server's share of a round trip. Captured on a client of
    // its own, since the local clients take no middleware after their first call.
    let signed: { headers: Record<string, string>; body: string } | undefined;
    const capturing = createLocalDynamoDbClient(dynamo.endpoint);
    capturing.middlewareStack.add(
      (next) => (args) => {
        const sent = args.request as { headers: Record<string, string>; body: string };
        signed = { headers: { ...sent.headers }, body: sent.body };
        return next(args);
      },
      { step: 'finalizeRequest', name: 'benchCaptureSigned', priority: 'low' },
    );
    await createDynamoDbStore({ client: capturing, table: 'bench' }).get(key);
    capturing.destroy();
    const replay = signed as { headers: Record<string, string>; body: string };
    const mb = `${DOCUMENT_MB} MB`;
    const rows = await measureInterleaved([
      {
        label: `${mb} GET, bare node:http server (floor)`,
        floor: 'get',
        repeat: 1,
        run: () => exchange({ method: 'GET', url: `${floor.endpoint}/doc`, agent }),
      },
      {
        label: `${mb} GET, plain node:http client -> s3rver`,
        floor: 'get',
        repeat: 1,
        run: () => exchange({ method: 'GET', url: `${s3.endpoint}/documents/doc`, agent }),
      },
      { label: `${mb} GET, S3BlobStore (SDK) -> s3rver`, floor: 'get', repeat: 1, run: () => blobs.get('doc') },
      {
        label: `${mb} PUT, bare node:http server (floor)`,
        floor: 'put',
        repeat: 1,
        run: () => exchange({ method: 'PUT', url: `${floor.endpoint}/up`, body: document, agent }),
      },
      {
        label: `${mb} PUT, plain node:http client -> s3rver`,
        floor: 'put',
        repeat: 1,
        run: () => exchange({ method: 'PUT', url: `${s3.endpoint}/documents/plain`, body: document, agent }),
      },
      {
        label: `${mb} PUT, S3BlobStore (SDK) -> s3rver`,
        floor: 'put',
        repeat: 1,
        run: () => blobs.put({ key: 'up', body: document, contentType: 'application/pdf' }),
      },
      {
        label: `${mb} PUT, S3BlobStore (SDK, the SDK's defaults) -> s3rver`,
        floor: 'put',
        repeat: 1,
        run: () => blobsDefaults.put({ key: 'up', body: document, contentType: 'application/pdf' }),
      },
      {
        label: `${SMALL_BYTES / 1024} KB GET, bare node:http server (floor)`,
        floor: 'small-get',
        repeat: ROUND_TRIPS,
        run: () => exchange({ method: 'GET', url: `${floor.endpoint}/small`, agent }),
      },
      {
        label: `${SMALL_BYTES / 1024} KB GET, S3BlobStore (SDK) -> s3rver`,
        floor: 'small-get',
        repeat: ROUND_TRIPS,
        run: () => blobs.get('small'),
      },
      {
        label: `${SMALL_BYTES / 1024} KB PUT, bare node:http server (floor)`,
        floor: 'small-put',
        repeat: ROUND_TRIPS,
        run: () => exchange({ method: 'PUT', url: `${floor.endpoint}/small-up`, body: small, agent }),
      },
      {
        label: `${SMALL_BYTES / 1024} KB PUT, S3BlobStore (SDK) -> s3rver`,
        floor: 'small-put',
        repeat: ROUND_TRIPS,
        run: () => blobs.put({ key: 'small-up', body: small, contentType: 'application/pdf' }),
      },
      {
        label: 'table round trip, bare node:http JSON (floor)',
        floor: 'table',
        repeat: ROUND_TRIPS,
        run: () => exchange({ method: 'POST', url: `${floor.endpoint}/`, body: '{}', agent }),
      },
      {
        label: 'table GetItem, signed request replayed -> dynalite',
        floor: 'table',
        repeat: ROUND_TRIPS,
        run: () => exchange({ method: 'POST', url: `${dynamo.endpoint}/`, ...replay, agent }),
      },
      { label: 'table GetItem, DynamoDbStore (SDK)', floor: 'table', repeat: ROUND_TRIPS, run: () => store.get(key) },
      {
        label: "table GetItem, DynamoDbStore (SDK, the SDK's defaults)",
        floor: 'table',
        repeat: ROUND_TRIPS,
        run: () => storeDefaults.get(key),
      },
      { label: 'table PutItem, DynamoDbStore (SDK)', floor: 'table', repeat: ROUND_TRIPS, run: () => store.put(item) },
      {
        label: 'table UpdateItem, DynamoDbStore (SDK)',
        floor: 'table',
        repeat: ROUND_TRIPS,
        run: () => store.update(key, { set: { status: 'signing' }, add: { version: 1 } }),
      },
      {
        label: 'table Query, DynamoDbStore (SDK)',
        floor: 'table',
        repeat: ROUND_TRIPS,
        run: () => store.query(key.pk),
      },
    ]);
    // The same GETs once the main thread holds as much live data as the local stack's does after
    // a few envelopes (its heap measured 60-100 MB): each GET adds 40 MB of buffers outside the
    // heap (the socket's 64 KB reads and the document), to which V8 answers with full collections,
    // whose cost grows with the heap.
    const ballast = holdLiveObjects(BALLAST_MB);
    const heavy = await measureInterleaved([
      {
        label: `${mb} GET, bare node:http server (floor), main heap +${BALLAST_MB} MB`,
        floor: 'get-heavy',
        repeat: 1,
        run: () => exchange({ method: 'GET', url: `${floor.endpoint}/doc`, agent }),
      },
      {
        label: `${mb} GET, plain node:http client -> s3rver, main heap +${BALLAST_MB} MB`,
        floor: 'get-heavy',
        repeat: 1,
        run: () => exchange({ method: 'GET', url: `${s3.endpoint}/documents/doc`, agent }),
      },
      {
        label: `${mb} GET, S3BlobStore (SDK) -> s3rver, main heap +${BALLAST_MB} MB`,
        floor: 'get-heavy',
        repeat: 1,
        run: () => blobs.get('doc'),
      },
    ]);
    ballast.length = 0;
    return [...rows, ...heavy];
  } finally {
    for (const client of [s3Client, dynamoClient, s3Defaults, dynamoDefaults]) client.destroy();
    agent.destroy();
    await Promise.all([floor.stop(), s3.stop(), dynamo.stop()]);
    rmSync(work, { recursive: true, force: true });
  }
}

export function formatLocalTransfers(rows: TransferRow[]): string {
  const floors = new Map<string, TransferRow>();
  for (const row of rows) if (!floors.has(row.floor)) floors.set(row.floor, row);
  const cell = (value: number, floorValue: number) =>
    `${value.toFixed(value < 10 ? 2 : 1)} ms (${(value / floorValue).toFixed(1)}x)`;
  return [
    `Medians of ${ROUNDS} interleaved rounds after ${WARM_ROUNDS} of warm-up (table: per round trip, ` +
      `small objects: per exchange, ${ROUND_TRIPS} in a row), each exchange from a collected heap; ratios to the floor of the same kind, same run`,
    '',
    '| exchange | wall | best wall | main thread busy | CPU, all threads |',
    '|:---------|-----:|----------:|-----------------:|-----------------:|',
    ...rows.map((row) => {
      const floor = floors.get(row.floor) ?? row;
      return (
        `| ${row.label} | ${cell(row.wallMs, floor.wallMs)} | ${cell(row.bestWallMs, floor.bestWallMs)} ` +
        `| ${cell(row.mainMs, floor.mainMs)} ` +
        `| ${cell(row.cpuMs, floor.cpuMs)} |`
      );
    }),
    '',
    `load average: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} (${cpus().length} cores)`,
  ].join('\n');
}

export async function runLocalTransferBench(): Promise<string> {
  return formatLocalTransfers(await measureLocalTransfers());
}

if (process.argv[1]?.endsWith('local-transfer.bench.ts')) console.log(await runLocalTransferBench());
