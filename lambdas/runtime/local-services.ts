// Starts the real local implementations of the AWS data services: dynalite (DynamoDB wire
// protocol, LevelDB on disk) and s3rver (S3 protocol, files on disk), and builds SDK clients
// configured for them. Used by the local stack and by the adapters' integration tests.
import { mkdir } from 'node:fs/promises';
import type { AddressInfo, Server } from 'node:net';
import { createRequire } from 'node:module';
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

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
}

export async function startDynalite(options: LocalDynamoOptions): Promise<RunningServer> {
  const dynalite = require('dynalite') as (options: Record<string, unknown>) => Server;
  if (options.path) await mkdir(options.path, { recursive: true });
  const server = dynalite({ path: options.path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return { endpoint: `http://${options.host}:${port}`, stop: () => closeServer(server) };
}

export type LocalS3Options = { host: string; port: number; directory: string; buckets: string[] };

export async function startS3rver(options: LocalS3Options): Promise<RunningServer> {
  const S3rver = require('s3rver') as new (
    options: Record<string, unknown>,
  ) => {
    run(): Promise<AddressInfo>;
    close(): Promise<void>;
  };
  await mkdir(options.directory, { recursive: true });
  const server = new S3rver({
    address: options.host,
    port: options.port,
    directory: options.directory,
    silent: true,
    vhostBuckets: false,
    configureBuckets: options.buckets.map((name) => ({ name, configs: [] })),
  });
  const address = await server.run();
  return { endpoint: `http://${options.host}:${address.port}`, stop: () => server.close() };
}

export function createLocalDynamoDbClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, maxAttempts: 3 });
}

export function createLocalS3Client(endpoint: string): S3Client {
  return new S3Client({
    endpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
    forcePathStyle: true,
    // s3rver predates the flexible checksums the SDK now sends by default.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
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
