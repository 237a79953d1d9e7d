// `mailsign envelope list [--account] [--status]` and `envelope show --brief` against the running
// local stack.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runEnvelopeCommand } from '../../bin/commands/envelope.ts';
import { makePdf } from '../support/mail-fixtures.ts';
import { sendSmtp, startTestStack, type TestStack } from '../support/local-stack-fixture.ts';
import { runCli } from '../support/run-cli.ts';

let stack: TestStack;

async function request(from: string, subject: string) {
  await sendSmtp(stack, {
    from,
    to: ['jeanne@client.fr'],
    subject: `*SIGN ${subject}`,
    text: 'Bonjour',
    attachments: [{ filename: 'contrat.pdf', content: await makePdf(), contentType: 'application/pdf' }],
  });
  await stack.idle();
}

beforeAll(async () => {
  stack = await startTestStack({ jobsIntervalMs: 0 });
  await request('claire@agence.fr', 'Contrat');
  await request('bob@autre.fr', 'Devis');
  await sendSmtp(stack, { from: 'bob@autre.fr', to: ['sign@mailsign.localhost'], subject: '*STATUS', text: '' });
  await stack.idle();
});

afterAll(async () => {
  await stack?.cleanup();
});

const run = (args: string[]) => runCli(runEnvelopeCommand, stack, args);

describe('mailsign envelope list', () => {
  it('prints every envelope as a JSON array, newest first', async () => {
    const { code, out } = await run(['list']);
    expect([code, (JSON.parse(out) as Array<{ subject: string }>).map((e) => e.subject)]).toEqual([
      0,
      ['Devis', 'Contrat'],
    ]);
  });

  it('keeps one account with --account', async () => {
    const { out } = await run(['list', '--account', 'Claire@Agence.fr']);
    expect(JSON.parse(out)).toEqual([
      expect.objectContaining({ subject: 'Contrat', sender: 'claire@agence.fr', status: 'signing' }),
    ]);
  });

  it('filters by --status', async () => {
    const { out } = await run(['list', '--status', 'completed']);
    expect(JSON.parse(out)).toEqual([]);
  });

  it('refuses an unknown status with a usage error', async () => {
    const { code, err } = await run(['list', '--status', 'lost']);
    expect([code, err]).toEqual([2, expect.stringContaining('Unknown status "lost"')]);
  });
});

describe('mailsign envelope show --brief', () => {
  it('prints a summary without page sizes', async () => {
    const [first] = JSON.parse((await run(['list'])).out) as Array<{ id: string }>;
    const { code, out } = await run(['show', String(first?.id), '--brief']);
    const brief = JSON.parse(out) as Record<string, unknown>;
    expect([code, brief.reference, JSON.stringify(brief).includes('"pages"')]).toEqual([
      0,
      String(first?.id).slice(0, 8),
      false,
    ]);
    expect(brief.signers).toEqual([
      { position: 1, name: 'jeanne@client.fr', email: 'jeanne@client.fr', status: 'pending' },
    ]);
  });
});
