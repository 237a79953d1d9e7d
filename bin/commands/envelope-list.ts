// `mailsign envelope list [--account <email>] [--status <status>]` and `envelope show --brief`:
// the operator's overview. With --account it reads the account's envelope index; without, it
// scans the table for envelopes (an operator's command, never a request path).
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { accountPk, normalizeEmail } from '../../lambdas/core/accounts/account-records.ts';
import {
  fromStoreItem,
  getEnvelope,
  listSigners,
  type Envelope,
  type EnvelopeStatus,
} from '../../lambdas/core/envelopes/envelope-records.ts';
import type { Store, StoreItem } from '../../lambdas/core/ports.ts';
import { CliUsageError, openStore, openTable } from './cli-targets.ts';

const STATUSES: EnvelopeStatus[] = ['signing', 'finalizing', 'completed', 'declined', 'expired', 'failed', 'cancelled'];

export type EnvelopeSummary = {
  id: string;
  reference: string;
  subject: string;
  sender: string;
  status: EnvelopeStatus;
  createdAt: string;
  expiresAt: string;
  completedAt?: string;
  signers: Array<{ position: number; name: string; email: string; status: string }>;
  currentPosition: number;
  documents: Array<{ id: string; name: string; pageCount: number }>;
  declineReason?: string;
};

export async function summarizeEnvelope(store: Store, envelope: Envelope): Promise<EnvelopeSummary> {
  const signers = await listSigners(store, envelope.id);
  return {
    id: envelope.id,
    reference: envelope.id.slice(0, 8),
    subject: envelope.subject,
    sender: envelope.sender.email,
    status: envelope.status,
    createdAt: envelope.createdAt,
    expiresAt: envelope.expiresAt,
    ...(envelope.completedAt && { completedAt: envelope.completedAt }),
    currentPosition: envelope.currentPosition,
    signers: signers.map(({ position, name, email, status }) => ({ position, name, email, status })),
    documents: envelope.documents.map(({ id, name, pageCount }) => ({ id, name, pageCount })),
    ...(envelope.declineReason && { declineReason: envelope.declineReason }),
  };
}

async function scanEnvelopes(env: Record<string, string | undefined>): Promise<Envelope[]> {
  const { client, table } = await openTable(env);
  const envelopes: Envelope[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({
        TableName: table,
        FilterExpression: '#kind = :envelope',
        ExpressionAttributeNames: { '#kind': 'kind' },
        ExpressionAttributeValues: { ':envelope': { S: 'envelope' } },
        ...(start && { ExclusiveStartKey: start as never }),
      }),
    );
    for (const item of page.Items ?? []) envelopes.push(fromStoreItem<Envelope>(unmarshall(item) as StoreItem));
    start = page.LastEvaluatedKey;
  } while (start);
  return envelopes;
}

export async function listEnvelopes(
  env: Record<string, string | undefined>,
  options: { account?: string; status?: string },
): Promise<EnvelopeSummary[]> {
  if (options.status !== undefined && !STATUSES.includes(options.status as EnvelopeStatus)) {
    throw new CliUsageError(`Unknown status "${options.status}" (one of ${STATUSES.join(', ')}).`);
  }
  const store = await openStore(env);
  let envelopes: Envelope[];
  if (options.account !== undefined) {
    const index = await store.query(accountPk(normalizeEmail(options.account)), { skPrefix: 'ENV#', descending: true });
    const ids = [...new Set(index.map((item) => String(item.envelopeId)))];
    envelopes = (await Promise.all(ids.map((id) => getEnvelope(store, id)))).filter((e): e is Envelope => !!e);
  } else {
    envelopes = (await scanEnvelopes(env)).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }
  const wanted = envelopes.filter((e) => options.status === undefined || e.status === options.status);
  return Promise.all(wanted.map((envelope) => summarizeEnvelope(store, envelope)));
}

/** `--name value` options of a command line, and the other arguments. */
export function parseOptions(args: string[], names: string[]): { options: Record<string, string>; rest: string[] } {
  const options: Record<string, string> = {};
  const rest: string[] = [];
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] as string;
    const name = arg.startsWith('--') ? arg.slice(2) : undefined;
    if (name === undefined) {
      rest.push(arg);
      continue;
    }
    if (!names.includes(name)) throw new CliUsageError(`Unknown option --${name}.`);
    if (name === 'brief') {
      options.brief = 'true';
      continue;
    }
    const value = args[i + 1];
    if (value === undefined || value.startsWith('--')) throw new CliUsageError(`--${name} needs a value.`);
    options[name] = value;
    i += 1;
  }
  return { options, rest };
}
