// `mailsign account ...` against a running local stack: the commands reach dynalite through the
// endpoint the stack publishes in its data directory (its LevelDB files are locked meanwhile).
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAccountCommand } from '../../bin/commands/account.ts';
import { chargeSignature } from '../../lambdas/core/billing/charge-signature.ts';
import { startTestStack, type TestStack } from '../support/local-stack-fixture.ts';

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack();
});

afterAll(async () => {
  await stack?.cleanup();
});

async function run(...args: string[]): Promise<{ code: number; out: Record<string, unknown>; err: string }> {
  let stdout = '';
  let err = '';
  const code = await runAccountCommand(args, {
    env: { MAILSIGN_DATA_DIR: stack.dataDir },
    stdout: (text) => (stdout += text),
    stderr: (text) => (err += text),
  });
  return { code, out: code === 0 ? (JSON.parse(stdout) as Record<string, unknown>) : {}, err };
}

describe('mailsign account against the running local stack', () => {
  it('credits euros to a new account and prints the balance in cents', async () => {
    const { code, out } = await run('credit', 'Claire@Agence-Dubois.fr', '12,50', '--create');
    expect([code, out.email, out.balanceCents]).toEqual([0, 'claire@agence-dubois.fr', 1250]);
  });

  it('shows the account as JSON with status, balance, recent signatures and ledger', async () => {
    await run('credit', 'show@agence.fr', '20', '--create');
    const at = new Date().toISOString();
    for (let i = 1; i <= 10; i += 1)
      await chargeSignature({ ...stack.deps, email: 'show@agence.fr', envelopeId: `e${i}`, position: 1, at });
    const { out } = await run('show', 'show@agence.fr');
    expect(out).toMatchObject({
      email: 'show@agence.fr',
      status: 'active',
      balanceCents: 1900,
      signaturesLast30Days: 10,
    });
    expect(
      (out.ledger as Array<Record<string, unknown>>).map((e) => [e.type, e.amountCents, e.balanceAfterCents]),
    ).toEqual([
      ['credit', 2000, 2000],
      ['debit', -100, 1900],
    ]);
  });

  it('suspends an account', async () => {
    await run('credit', 'suspend@agence.fr', '1', '--create');
    expect((await run('suspend', 'suspend@agence.fr')).out).toEqual({
      email: 'suspend@agence.fr',
      status: 'suspended',
    });
    expect((await run('show', 'suspend@agence.fr')).out.status).toBe('suspended');
  });

  it('closes an account and records when', async () => {
    await run('credit', 'close@agence.fr', '1', '--create');
    await run('close', 'close@agence.fr');
    expect((await run('show', 'close@agence.fr')).out).toMatchObject({
      status: 'closed',
      closedAt: expect.any(String),
    });
  });

  it('reopens a closed account', async () => {
    await run('credit', 'reopen@agence.fr', '1', '--create');
    await run('close', 'reopen@agence.fr');
    await run('reopen', 'reopen@agence.fr');
    const { out } = await run('show', 'reopen@agence.fr');
    expect([out.status, out.closedAt]).toEqual(['active', undefined]);
  });

  it('refuses an amount that is not a positive number of euros', async () => {
    const { code, err } = await run('credit', 'claire@agence-dubois.fr', '-3');
    expect([code, err]).toEqual([2, expect.stringContaining('not a positive amount')]);
  });

  it('refuses to credit an address with no account, naming the fix', async () => {
    const { code, err } = await run('credit', 'typo@agence.fr', '10');
    expect([code, err]).toEqual([2, expect.stringContaining('mailsign account credit typo@agence.fr 10 --create')]);
    expect((await run('show', 'typo@agence.fr')).code).toBe(1);
  });

  it('credits an existing account without --create', async () => {
    await run('credit', 'again@agence.fr', '1', '--create');
    const { code, out } = await run('credit', 'again@agence.fr', '2');
    expect([code, out.balanceCents]).toEqual([0, 300]);
  });

  it('says so when the account does not exist', async () => {
    const { code, err } = await run('show', 'nobody@nowhere.fr');
    expect([code, err]).toEqual([1, expect.stringContaining('No account')]);
  });

  it('works as `mailsign account` in another process while the stack runs', async () => {
    await run('credit', 'process@agence.fr', '7', '--create');
    const { MAILSIGN_TABLE: _aws, ...env } = process.env;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['bin/mailsign.js', 'account', 'show', 'process@agence.fr'],
      {
        env: { ...env, MAILSIGN_DATA_DIR: stack.dataDir },
      },
    );
    expect(JSON.parse(stdout)).toMatchObject({ email: 'process@agence.fr', balanceCents: 700 });
  });
});

describe('mailsign account on AWS settings', () => {
  it('uses MAILSIGN_TABLE, the region and the SDK credentials and endpoint from the environment', async () => {
    await run('credit', 'aws@agence.fr', '3', '--create');
    const endpoints = JSON.parse(readFileSync(join(stack.dataDir, 'endpoints.json'), 'utf8')) as { dynamodb: string };
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['bin/mailsign.js', 'account', 'show', 'aws@agence.fr'],
      {
        env: {
          PATH: process.env.PATH,
          MAILSIGN_TABLE: 'mailsign',
          AWS_REGION: 'eu-west-3',
          AWS_ACCESS_KEY_ID: 'S3RVER',
          AWS_SECRET_ACCESS_KEY: 'S3RVER',
          AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
          MAILSIGN_DATA_DIR: join(stack.dataDir, 'not-the-stack'),
        },
      },
    );
    expect(JSON.parse(stdout)).toMatchObject({ email: 'aws@agence.fr', balanceCents: 300 });
  });
});

describe('mailsign account without a running stack', () => {
  it('explains that the local stack is not running', async () => {
    let err = '';
    const code = await runAccountCommand(['show', 'a@b.fr'], {
      env: { MAILSIGN_DATA_DIR: join(stack.dataDir, 'elsewhere') },
      stderr: (t) => (err += t),
      stdout: () => {},
    });
    expect([code, err]).toEqual([2, expect.stringContaining('not running')]);
  });

  it('removes the endpoints file when the stack stops', async () => {
    const other = await startTestStack();
    const file = join(other.dataDir, 'endpoints.json');
    const before = existsSync(file);
    await other.stop();
    expect([before, existsSync(file)]).toEqual([true, false]);
    await other.cleanup().catch(() => {});
  });
});
