// Starts the real local implementations of the AWS data services: dynalite (DynamoDB wire
// protocol, LevelDB on disk) and s3rver (S3 protocol, files on disk), and builds SDK clients
// configured for them. Used by the local stack and by the adapters' integration tests.
// Each server runs on its own thread: its request parsing, the MD5 of every object s3rver stores,
// its file I/O and the garbage of its buffers stay off the thread that runs the API and the
// workflow (a 20 MB document crosses s3rver four times per finalization).
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceInUseException,
} from '@aws-sdk/client-dynamodb';

const require = createRequire(import.meta.url);

export const LOCAL_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
const LOCAL_REGION = 'eu-west-3';

export type LocalDynamoOptions = {
  host: string;
  port: number /** LevelDB folder; in memory when omitted. */;
  path?: string;
};

export type RunningServer = { endpoint: string; stop(): Promise<void> };

// The thread's program (plain CommonJS, so it runs under tsx, vitest or node alike): starts the
// server named by workerData, reports its port, closes it when asked.
const SERVER_THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const starts = {
  dynalite: async ({ modulePath, host, port, options }) => {
    const server = require(modulePath)(options);
    await new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, resolve);
    });
    return { port: server.address().port, close: () => new Promise((resolve) => server.close(() => resolve())) };
  },
  s3rver: async ({ modulePath, options }) => {
    const S3rver = require(modulePath);
    const server = new S3rver(options);
    const address = await server.run();
    return { port: address.port, close: () => server.close() };
  },
};
starts[workerData.kind](workerData).then(
  ({ port, close }) => {
    parentPort.once('message', () => close().finally(() => parentPort.postMessage({ stopped: true })));
    parentPort.postMessage({ port });
  },
  (error) => parentPort.postMessage({ error: String((error && error.stack) || error) }),
);
`;

type ServerThreadData = {
  kind: 'dynalite' | 's3rver';
  modulePath: string;
  host: string;
  port: number;
  options: unknown;
};

async function startServerThread(data: ServerThreadData): Promise<RunningServer> {
  // No loader (tsx) in the thread: its program is plain JavaScript.
  const worker = new Worker(SERVER_THREAD, { eval: true, workerData: data, execArgv: [] });
  const started = await new Promise<{ port?: number; error?: string }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`The ${data.kind} thread stopped (exit code ${code})`)));
  });
  if (started.port === undefined) {
    await worker.terminate();
    throw new Error(`${data.kind} did not start: ${started.error ?? 'no port'}`);
  }
  let stopping: Promise<void> | undefined;
  const stop = async () => {
    // Closed, or the thread already gone (then there is nothing left to close).
    const stopped = new Promise((resolve) => {
      worker.once('message', resolve);
      worker.once('exit', resolve);
    });
    worker.postMessage('stop');
    await stopped;
    await worker.terminate();
  };
  return {
    endpoint: `http://${data.host}:${started.port}`,
    // Once: a second call (a stack stopped, then cleaned up) finds the thread ended.
    stop: () => (stopping ??= stop()),
  };
}

export async function startDynalite(options: LocalDynamoOptions): Promise<RunningServer> {
  if (options.path) await mkdir(options.path, { recursive: true });
  return startServerThread({
    kind: 'dynalite',
    modulePath: require.resolve('dynalite'),
    host: options.host,
    port: options.port,
    options: { path: options.path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 },
  });
}

export type LocalS3Options = { host: string; port: number; directory: string; buckets: string[] };

export async function startS3rver(options: LocalS3Options): Promise<RunningServer> {
  await mkdir(options.directory, { recursive: true });
  return startServerThread({
    kind: 's3rver',
    modulePath: require.resolve('s3rver'),
    host: options.host,
    port: options.port,
    options: {
      address: options.host,
      port: options.port,
      directory: options.directory,
      silent: true,
      vhostBuckets: false,
      configureBuckets: options.buckets.map((name) => ({ name, configs: [] })),
    },
  });
}

// Both clients resolve their middleware stack once per command class instead of once per call
// (`cacheMiddleware`, the SDK's own switch): a finalization makes about 27 table round trips on
// the thread that runs the workflow, each paying that resolution. Nothing may add middleware to
// these clients after their first call (the S3 client's own is added at creation, below).
export type LocalClientTuning = {
  /** The SDK's defaults instead of the settings below: only for the transfer bench's comparison. */
  sdkDefaults?: boolean;
};

export function createLocalDynamoDbClient(endpoint: string, tuning: LocalClientTuning = {}): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
    maxAttempts: 3,
    cacheMiddleware: !tuning.sdkDefaults,
  });
}

export function createLocalS3Client(endpoint: string, tuning: LocalClientTuning = {}): S3Client {
  const client = new S3Client({
    endpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
    forcePathStyle: true,
    // s3rver predates the flexible checksums the SDK now sends by default.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    // By default the SDK sends a body over 2 MB with `Expect: 100-continue`, and for that opens a
    // new connection that it does not keep alive: every document PUT paid a TCP connection and a
    // round trip waiting for "100 Continue" (s3rver never refuses a body at that stage). Locally
    // the PUT goes over the kept-alive connections like every other request.
    ...(!tuning.sdkDefaults && { expectContinueHeader: false, cacheMiddleware: true }),
  });
  // Over plain HTTP the signer hashes every uploaded body (SHA-256 of each 20 MB document) for a
  // header s3rver accepts as UNSIGNED-PAYLOAD and never checks: say so, and skip the hashing.
  client.middlewareStack.add(
    (next, context) => (args) => {
      const request = args.request as { headers?: Record<string, string> };
      if (context.commandName === 'PutObjectCommand' && request.headers)
        request.headers['x-amz-content-sha256'] = 'UNSIGNED-PAYLOAD';
      return next(args);
    },
    { step: 'build', name: 'localUnsignedPayload' },
  );
  return client;
}

/** Creates the single table (pk/sk) if it does not exist yet. */
export async function ensureTable(options: { client: DynamoDBClient; table: string }): Promise<void> {
  try {
    await options.client.send(
      new CreateTableCommand({
        TableName: options.table,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException) && (error as Error)?.name !== 'ResourceInUseException') throw error;
  }
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const table = await options.client.send(new DescribeTableCommand({ TableName: options.table }));
    if (table.Table?.TableStatus === 'ACTIVE') return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export async function ensureBucket(options: { client: S3Client; bucket: string }): Promise<void> {
  try {
    await options.client.send(new CreateBucketCommand({ Bucket: options.bucket }));
  } catch (error) {
    const name = (error as Error)?.name;
    if (name !== 'BucketAlreadyOwnedByYou' && name !== 'BucketAlreadyExists') throw error;
  }
}
