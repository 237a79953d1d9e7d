// `mailsign envelope show|retry` against the running local stack: an operator sees a failed
// envelope and restarts its finalization.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runEnvelopeCommand } from '../../bin/commands/envelope.ts';
import { envelopeKey } from '../../lambdas/core/envelopes/envelope-records.ts';
import { makePdf } from '../support/mail-fixtures.ts';
import { sendSmtp, startTestStack, type TestStack } from '../support/local-stack-fixture.ts';
import { runCli } from '../support/run-cli.ts';

let stack: TestStack;
let envelopeId: string;

beforeAll(async () => {
  stack = await startTestStack();
  await sendSmtp(stack, {
    from: 'claire@agence.fr',
    to: ['jeanne@client.fr'],
    subject: '*SIGN Contrat',
    text: 'Bonjour',
    attachments: [{ filename: 'contrat.pdf', content: await makePdf(), contentType: 'application/pdf' }],
  });
  await stack.idle();
  const [index] = await stack.deps.store.query('ACCOUNT#claire@agence.fr', { skPrefix: 'ENV#' });
  envelopeId = String(index?.envelopeId);
});

afterAll(async () => {
  await stack?.cleanup();
});

const run = (args: string[]) => runCli(runEnvelopeCommand, stack, args);

describe('mailsign envelope', () => {
  it('shows an envelope with its signers', async () => {
    const { code, out } = await run(['show', envelopeId]);
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({
      id: envelopeId,
      status: 'signing',
      signers: [{ position: 1, email: 'jeanne@client.fr', status: 'pending' }],
    });
  });

  it('refuses to retry an envelope whose finalization has not failed', async () => {
    const { code, err } = await run(['retry', envelopeId]);
    expect(code).toBe(2);
    expect(err).toContain('only a failed or stuck finalization can be retried');
  });

  it('restarts the finalization of a failed envelope as attempt 2', async () => {
    await stack.deps.store.update(envelopeKey(envelopeId), {
      set: { status: 'failed', failureReason: 'KMS unavailable' },
    });
    const { code, out } = await run(['retry', envelopeId]);
    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual({ envelopeId, attempt: 2 });
    await stack.idle();
  });

  it('names an unknown envelope', async () => {
    const { code, err } = await run(['show', 'nope']);
    expect(code).toBe(2);
    expect(err).toContain('No envelope nope');
  });
});
