// `mailsign account credit|show|suspend|close|reopen`: administers customer accounts, on AWS
// (MAILSIGN_TABLE and AWS credentials/region from the environment) or against the running local
// stack (its dynalite endpoint is read from <MAILSIGN_DATA_DIR>/endpoints.json: the LevelDB files
// are locked while `npm start` runs, so the CLI must go through the stack's own server).
import { systemClock } from '../../lambdas/adapters/node/system-clock-and-random.ts';
import { creditAccount, setAccountStatus, showAccount } from '../../lambdas/core/accounts/manage-account.ts';
import { isDomainError } from '../../lambdas/core/errors.ts';
import { CliUsageError, openStore } from './cli-targets.ts';

const USAGE = `Usage: mailsign account <command>

  credit <email> <euros> [--create]
                             add prepaid credit (e.g. 50 or 12.50), excl. VAT, to an existing
                             account; --create opens the account first when there is none
  show <email>               print the account as JSON (status, balance, signatures, ledger)
  suspend <email>            refuse new requests until reopened
  close <email>              close; documents are deleted after the grace period
  reopen <email>             make the account active again

Against AWS when MAILSIGN_TABLE is set (with AWS_REGION and credentials), otherwise against the
local stack started by \`npm start\` (same MAILSIGN_DATA_DIR).
`;

/** Euros as typed by an operator ("50", "12.5", "12,50") to a positive integer of cents. */
export function parseEuros(text: string | undefined): number {
  const match = /^(\d{1,7})(?:[.,](\d{1,2}))?$/.exec((text ?? '').trim());
  const cents = match ? Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0')) : 0;
  if (!match || cents <= 0)
    throw new CliUsageError(`"${text ?? ''}" is not a positive amount of euros (e.g. 50 or 12.50).`);
  return cents;
}

export type AccountCommandIo = {
  env?: Record<string, string | undefined>;
  stdout?: (text: string) => void;
  stderr?: (text: string) => void;
};

async function execute(allArgs: string[], io: Required<AccountCommandIo>): Promise<unknown> {
  const create = allArgs.includes('--create');
  const args = allArgs.filter((arg) => arg !== '--create');
  if (create && args[0] !== 'credit') throw new CliUsageError('--create goes with `account credit` only.');
  const [command, email, amount] = args;
  if (!command || !['credit', 'show', 'suspend', 'close', 'reopen'].includes(command))
    throw new CliUsageError(`Unknown account command "${command ?? ''}".`);
  if (!email?.includes('@')) throw new CliUsageError('Give the account email address.');
  const amountCents = command === 'credit' ? parseEuros(amount) : 0;
  const deps = { store: await openStore(io.env), clock: systemClock };
  switch (command) {
    case 'credit': {
      const entry = await creditAccount({ ...deps, email, amountCents, createIfMissing: create }).catch(
        (error: unknown) => {
          if (!isDomainError(error, 'NOT_FOUND')) throw error;
          throw new CliUsageError(
            `No account for ${email.toLowerCase()}. Check the address; to open a new account with this credit, ` +
              `run: mailsign account credit ${email.toLowerCase()} ${amount} --create`,
          );
        },
      );
      return { email: email.toLowerCase(), credited: amountCents, balanceCents: entry.balanceAfterCents, entry };
    }
    case 'show':
      return showAccount({ ...deps, email });
    default: {
      const status = await setAccountStatus({
        ...deps,
        email,
        status: command === 'suspend' ? 'suspended' : command === 'close' ? 'closed' : 'active',
      });
      return { email: email.toLowerCase(), status };
    }
  }
}

export async function runAccountCommand(args: string[], options: AccountCommandIo = {}): Promise<number> {
  const io = {
    env: options.env ?? process.env,
    stdout: options.stdout ?? ((text: string) => void process.stdout.write(text)),
    stderr: options.stderr ?? ((text: string) => void process.stderr.write(text)),
  };
  if (args.length === 0 || args[0] === 'help' || args[0] === '--help') {
    io.stdout(USAGE);
    return args.length === 0 ? 1 : 0;
  }
  try {
    io.stdout(`${JSON.stringify(await execute(args, io), null, 2)}\n`);
    return 0;
  } catch (error) {
    if (error instanceof CliUsageError) io.stderr(`${error.message}\n\n${USAGE}`);
    else if (isDomainError(error)) io.stderr(`${error.message}\n`);
    else io.stderr(`mailsign account: ${(error as Error).message ?? String(error)}\n`);
    return error instanceof CliUsageError ? 2 : 1;
  }
}
