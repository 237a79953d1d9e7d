// The commands a sender gives by mail, found by their marker anywhere in the subject
// (case-insensitive). Intake hands every authenticated message with a marker to
// `runMailCommand` before the `*SIGN` path; adding a command is one line in COMMANDS.
// A command never costs anything and its reply goes to the sender only.
import type { ParsedMail } from 'mailparser';
import type { Deps } from '../deps.ts';
import type { InboundOutcome } from '../intake/inbound-records.ts';
import { runCancelCommand, runRemindCommand } from './envelope-commands.ts';
import { runStatusCommand } from './status-command.ts';

export type MailCommandContext = {
  deps: Deps;
  mail: ParsedMail;
  /** The authenticated sender (lowercase address). */
  sender: { name: string; email: string };
};

export type MailCommand = {
  name: string;
  marker: RegExp;
  /** Only customers get an answer (as for *SIGN); otherwise the message is ignored. */
  customersOnly: boolean;
  /** Returns a short, address-free word for the inbound record and the log. */
  run(context: MailCommandContext): Promise<string>;
};

export const MAIL_COMMANDS: MailCommand[] = [
  { name: 'STATUS', marker: /\*status\b/i, customersOnly: true, run: runStatusCommand },
  { name: 'CANCEL', marker: /\*cancel\b/i, customersOnly: true, run: runCancelCommand },
  { name: 'REMIND', marker: /\*remind\b/i, customersOnly: true, run: runRemindCommand },
];

export function findMailCommand(subject: string): MailCommand | undefined {
  return MAIL_COMMANDS.find((command) => command.marker.test(subject));
}

export type RunMailCommandOptions = MailCommandContext & { command: MailCommand; customer: boolean };

export async function runMailCommand(options: RunMailCommandOptions): Promise<InboundOutcome> {
  const { command } = options;
  if (command.customersOnly && !options.customer) {
    return { status: 'ignored', reason: `*${command.name} from a sender who is not a customer` };
  }
  return { status: 'command', command: command.name, result: await command.run(options) };
}
