// Where the admin commands act: AWS when MAILSIGN_TABLE is set (credentials and region from the
// environment), otherwise the running local stack, reached through the endpoints it writes to
// <MAILSIGN_DATA_DIR>/endpoints.json (its LevelDB files are locked while `npm start` runs).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDynamoDbStore } from '../../lambdas/adapters/aws/dynamodb-store.ts';
import { loadCliConfig, loadLocalConfig } from '../../lambdas/config.ts';
import type { Store } from '../../lambdas/core/ports.ts';
import { createLocalDynamoDbClient } from '../../lambdas/runtime/local-services.ts';
import { LOCAL_ENDPOINTS_FILE, type LocalEndpoints } from '../../lambdas/runtime/local-stack.ts';

export class CliUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliUsageError';
  }
}

export async function readLocalEndpoints(env: Record<string, string | undefined>): Promise<LocalEndpoints> {
  const { dataDir } = loadLocalConfig(env);
  const file = join(dataDir, LOCAL_ENDPOINTS_FILE);
  return readFile(file, 'utf8').then(
    (text) => JSON.parse(text) as LocalEndpoints,
    () => {
      throw new CliUsageError(
        `The local stack is not running (no ${file}). Start it with \`npm start\`, or set MAILSIGN_TABLE for AWS.`,
      );
    },
  );
}

/** The DynamoDB client and table the admin commands act on (for the operator's scans). */
export async function openTable(
  env: Record<string, string | undefined>,
): Promise<{ client: DynamoDBClient; table: string }> {
  const aws = loadCliConfig(env);
  if (aws) return { client: new DynamoDBClient({ region: aws.region }), table: aws.table };
  const endpoints = await readLocalEndpoints(env);
  return { client: createLocalDynamoDbClient(endpoints.dynamodb), table: endpoints.table };
}

export async function openStore(env: Record<string, string | undefined>): Promise<Store> {
  const aws = loadCliConfig(env);
  if (aws) return createDynamoDbStore({ client: new DynamoDBClient({ region: aws.region }), table: aws.table });
  const endpoints = await readLocalEndpoints(env);
  return createDynamoDbStore({ client: createLocalDynamoDbClient(endpoints.dynamodb), table: endpoints.table });
}
