// `mailsign ses activate-rule-set`: the one SES v1 call the service still needs. Receipt rule
// sets exist only in the v1 API (mail is sent with v2), and a region has exactly one active rule
// set, which CloudFormation cannot switch: this replaces the manual `aws ses
// set-active-receipt-rule-set` step of docs/deploy.md, refusing to displace another active set
// unless told to.
import { parseArgs } from 'node:util';
import { DescribeActiveReceiptRuleSetCommand, SESClient, SetActiveReceiptRuleSetCommand } from '@aws-sdk/client-ses';

const DEFAULT_RULE_SET = 'Mailsign-inbound';

const USAGE = `Usage:
  mailsign ses activate-rule-set [--rule-set-name ${DEFAULT_RULE_SET}] [--region eu-west-1] [--replace]
      Makes the stack's receipt rule set the active one (stack output ReceiptRuleSetName).
      Refuses when another rule set is active, unless --replace is given.`;

export type SesCommandOptions = {
  ses?: SESClient;
  stdout?: (text: string) => void;
  stderr?: (text: string) => void;
};

export async function runSesCommand(args: string[], options: SesCommandOptions = {}): Promise<number> {
  const stdout = options.stdout ?? ((text: string) => process.stdout.write(text));
  const stderr = options.stderr ?? ((text: string) => process.stderr.write(text));
  const [sub, ...rest] = args;
  if (sub !== 'activate-rule-set') {
    stderr(`${USAGE}\n`);
    return 1;
  }
  let parsed: ReturnType<typeof parseOptions>;
  try {
    parsed = parseOptions(rest);
  } catch (error) {
    stderr(`${(error as Error).message}\n${USAGE}\n`);
    return 1;
  }
  const name = parsed['rule-set-name'];
  const ses = options.ses ?? new SESClient(parsed.region ? { region: parsed.region } : {});
  const active = (await ses.send(new DescribeActiveReceiptRuleSetCommand({}))).Metadata?.Name;
  if (active === name) {
    stdout(`Receipt rule set ${name} is already active.\n`);
    return 0;
  }
  if (active && !parsed.replace) {
    stderr(
      `Receipt rule set ${active} is active in this region; only one can be. Move its rules into ${name} ` +
        `or run again with --replace to make ${name} the active one (${active} then stops receiving).\n`,
    );
    return 1;
  }
  await ses.send(new SetActiveReceiptRuleSetCommand({ RuleSetName: name }));
  stdout(`Receipt rule set ${name} is now active${active ? ` (was ${active})` : ''}.\n`);
  return 0;
}

function parseOptions(args: string[]) {
  return parseArgs({
    args,
    options: {
      'rule-set-name': { type: 'string', default: DEFAULT_RULE_SET },
      region: { type: 'string' },
      replace: { type: 'boolean', default: false },
    },
  }).values as { 'rule-set-name': string; region?: string; replace: boolean };
}
