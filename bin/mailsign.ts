// The mailsign command line: `start` runs the local stack; `account` and `cert` administer
// a running local stack or an AWS deployment.
import { runAccountCommand } from './commands/account.ts';
import { runStartCommand } from './commands/start.ts';

const USAGE = `Usage: mailsign <command>

  start                          run the whole product locally (SMTP, API, web, outbox)
  send --from <a> --to <b,c> [--cc <d>] --subject "*SIGN ..." FILE.pdf...
                                 mail a signing request to the running local stack
  account credit <email> <euros> add prepaid credit to a customer account
  account show <email>           print the account as JSON
  account suspend|close|reopen <email>
  envelope list [--account <email>] [--status <status>]
                                 list envelopes as a JSON array
  envelope show <id> [--brief]   print an envelope, its documents and signers as JSON
  envelope retry <id>            restart the finalization of a failed envelope
  cert csr --subject "..."       certificate request signed by the KMS sealing key (AWS)
  cert install <chain.pem> --bucket <documents bucket>
                                 check the chain against the KMS key and install it (AWS)
  ses activate-rule-set [--rule-set-name <name>] [--replace]
                                 make the stack's SES receipt rule set the active one (AWS)
`;

export async function main(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  switch (command) {
    case 'start':
      return runStartCommand(rest);
    case 'account':
      return runAccountCommand(rest);
    case 'envelope': {
      const { runEnvelopeCommand } = await import('./commands/envelope.ts');
      return runEnvelopeCommand(rest);
    }
    case 'cert': {
      // Loaded on demand: it pulls in the KMS client and pkijs, which `start` does not need.
      const { runCertCommand } = await import('./commands/cert.ts');
      return runCertCommand(rest);
    }
    case 'send': {
      const { runSendCommand } = await import('./commands/send.ts');
      return runSendCommand(rest);
    }
    case 'ses': {
      const { runSesCommand } = await import('./commands/ses.ts');
      return runSesCommand(rest);
    }
    case undefined:
    case 'help':
    case '--help':
      process.stdout.write(USAGE);
      return command === undefined ? 1 : 0;
    default:
      process.stderr.write(`Unknown command "${command}".\n\n${USAGE}`);
      return 1;
  }
}
