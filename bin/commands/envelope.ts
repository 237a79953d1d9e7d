// `mailsign envelope show|retry <id>`: an operator's view of one envelope, and the retry of a
// failed finalization, on AWS (MAILSIGN_TABLE, MAILSIGN_STATE_MACHINE_ARN) or against the running
// local stack (retry goes through the stack's own dev route: its finalization runs in-process).
import { SFNClient } from '@aws-sdk/client-sfn';
import { createSfnWorkflow } from '../../lambdas/adapters/aws/sfn-workflow.ts';
import { cryptoRandom, systemClock } from '../../lambdas/adapters/node/system-clock-and-random.ts';
import { loadCliConfig } from '../../lambdas/config.ts';
import { getEnvelope, listSigners } from '../../lambdas/core/envelopes/envelope-records.ts';
import { isDomainError } from '../../lambdas/core/errors.ts';
import { retryFinalization } from '../../lambdas/core/finalize/retry-finalization.ts';
import { CliUsageError, openStore, readLocalEndpoints } from './cli-targets.ts';
import { listEnvelopes, parseOptions, summarizeEnvelope } from './envelope-list.ts';

const USAGE = `Usage: mailsign envelope <command>

  list [--account <email>] [--status <status>]
                             print the envelopes (newest first) as a JSON array
  show <envelope id> [--brief]
                             print the envelope, its documents and signers as JSON
                             (--brief: a summary without page sizes)
  retry <envelope id>        restart the finalization of a failed envelope

Against AWS when MAILSIGN_TABLE is set (retry also needs MAILSIGN_STATE_MACHINE_ARN), otherwise
against the local stack started by \`npm start\` (same MAILSIGN_DATA_DIR).
`;

export type EnvelopeCommandIo = {
  env?: Record<string, string | undefined>;
  stdout?: (text: string) => void;
  stderr?: (text: string) => void;
};

async function showEnvelope(env: Record<string, string | undefined>, envelopeId: string): Promise<unknown> {
  const store = await openStore(env);
  const envelope = await getEnvelope(store, envelopeId);
  if (!envelope) throw new CliUsageError(`No envelope ${envelopeId}.`);
  const signers = await listSigners(store, envelopeId);
  return {
    ...envelope,
    signers: signers.map(({ position, name, email, status, signedAt, declinedAt, declineReason }) => ({
      position,
      name,
      email,
      status,
      signedAt,
      declinedAt,
      declineReason,
    })),
  };
}

async function showBrief(env: Record<string, string | undefined>, envelopeId: string): Promise<unknown> {
  const store = await openStore(env);
  const envelope = await getEnvelope(store, envelopeId);
  if (!envelope) throw new CliUsageError(`No envelope ${envelopeId}.`);
  return summarizeEnvelope(store, envelope);
}

async function retryEnvelope(env: Record<string, string | undefined>, envelopeId: string): Promise<unknown> {
  const aws = loadCliConfig(env);
  if (aws) {
    if (!aws.stateMachineArn)
      throw new CliUsageError('Set MAILSIGN_STATE_MACHINE_ARN (the stack output) to retry on AWS.');
    const workflow = createSfnWorkflow({
      client: new SFNClient({ region: aws.region }),
      stateMachineArn: aws.stateMachineArn,
    });
    return retryFinalization({
      deps: { store: await openStore(env), workflow, clock: systemClock, random: cryptoRandom },
      envelopeId,
    });
  }
  const endpoints = await readLocalEndpoints(env);
  const response = await fetch(`${endpoints.http}/dev/envelopes/${encodeURIComponent(envelopeId)}/retry-finalization`, {
    method: 'POST',
  });
  const body = (await response.json()) as Record<string, unknown>;
  if (!response.ok)
    throw new CliUsageError(String(body.detail ?? body.title ?? `The local stack answered ${response.status}.`));
  return body;
}

export async function runEnvelopeCommand(args: string[], options: EnvelopeCommandIo = {}): Promise<number> {
  const env = options.env ?? process.env;
  const stdout = options.stdout ?? ((text: string) => void process.stdout.write(text));
  const stderr = options.stderr ?? ((text: string) => void process.stderr.write(text));
  const [command] = args;
  if (!command || command === 'help' || command === '--help') {
    stdout(USAGE);
    return command ? 0 : 1;
  }
  try {
    if (command !== 'show' && command !== 'retry' && command !== 'list')
      throw new CliUsageError(`Unknown envelope command "${command}".`);
    const { options: flags, rest } = parseOptions(
      args.slice(1),
      command === 'list' ? ['account', 'status'] : ['brief'],
    );
    const envelopeId = rest[0];
    if (command !== 'list' && !envelopeId) throw new CliUsageError('Give the envelope id.');
    const result =
      command === 'list'
        ? await listEnvelopes(env, { account: flags.account, status: flags.status })
        : command === 'show'
          ? flags.brief
            ? await showBrief(env, envelopeId as string)
            : await showEnvelope(env, envelopeId as string)
          : await retryEnvelope(env, envelopeId as string);
    stdout(`${JSON.stringify(result, null, 2)}\n`);
    return 0;
  } catch (error) {
    if (error instanceof CliUsageError) stderr(`${error.message}\n\n${USAGE}`);
    else if (isDomainError(error)) stderr(`${error.message}\n`);
    else stderr(`mailsign envelope: ${(error as Error).message ?? String(error)}\n`);
    return error instanceof CliUsageError ? 2 : 1;
  }
}
