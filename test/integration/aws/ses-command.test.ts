// `mailsign ses activate-rule-set` with the real SES v1 client against aws-sdk-client-mock.
import { DescribeActiveReceiptRuleSetCommand, SESClient, SetActiveReceiptRuleSetCommand } from '@aws-sdk/client-ses';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { runSesCommand } from '../../../bin/commands/ses.ts';

const ses = mockClient(SESClient);
afterEach(() => ses.reset());

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runSesCommand(args, {
    ses: new SESClient({ region: 'eu-west-1' }),
    stdout: (text) => out.push(text),
    stderr: (text) => err.push(text),
  });
  return { code, out: out.join(''), err: err.join('') };
}

describe('mailsign ses activate-rule-set', () => {
  it('activates the rule set when none is active', async () => {
    ses.on(DescribeActiveReceiptRuleSetCommand).resolves({});
    ses.on(SetActiveReceiptRuleSetCommand).resolves({});
    const result = await run(['activate-rule-set', '--rule-set-name', 'Acme-inbound']);
    expect(result.code).toBe(0);
    expect(ses.commandCalls(SetActiveReceiptRuleSetCommand)[0]?.args[0].input).toEqual({ RuleSetName: 'Acme-inbound' });
  });

  it('does nothing when it is already active', async () => {
    ses.on(DescribeActiveReceiptRuleSetCommand).resolves({ Metadata: { Name: 'Mailsign-inbound' } });
    const result = await run(['activate-rule-set']);
    expect([result.code, ses.commandCalls(SetActiveReceiptRuleSetCommand).length]).toEqual([0, 0]);
  });

  it('refuses to displace another active rule set, naming the fix', async () => {
    ses.on(DescribeActiveReceiptRuleSetCommand).resolves({ Metadata: { Name: 'Legacy' } });
    const result = await run(['activate-rule-set']);
    expect(result.code).toBe(1);
    expect(result.err).toContain('--replace');
    expect(ses.commandCalls(SetActiveReceiptRuleSetCommand)).toHaveLength(0);
  });

  it('replaces another active rule set with --replace', async () => {
    ses.on(DescribeActiveReceiptRuleSetCommand).resolves({ Metadata: { Name: 'Legacy' } });
    ses.on(SetActiveReceiptRuleSetCommand).resolves({});
    const result = await run(['activate-rule-set', '--replace']);
    expect([result.code, result.out]).toEqual([0, 'Receipt rule set Mailsign-inbound is now active (was Legacy).\n']);
  });

  it('prints the usage for an unknown subcommand', async () => {
    expect((await run(['deactivate'])).code).toBe(1);
  });
});
