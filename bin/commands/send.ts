// `mailsign send`: mails a signing request to the running local stack over SMTP, the way a mail
// client would (To then Cc are the signers, in order; the files are attached as PDFs). It needs
// no swaks, whose options differ between versions (see README).
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import nodemailer from 'nodemailer';
import { CliUsageError, readLocalEndpoints } from './cli-targets.ts';

const USAGE = `Usage: mailsign send --from <sender> --to <signer>[,<signer>...] [--cc <signer>,...]
                     --subject "*SIGN ..." [--text "..."] FILE.pdf...

Mails a signing request to the local stack started by \`npm start\` (same MAILSIGN_DATA_DIR).
The subject must contain *SIGN; recipients sign in order, To first, then Cc.
`;

export type SendCommandIo = {
  env?: Record<string, string | undefined>;
  stdout?: (text: string) => void;
  stderr?: (text: string) => void;
};

const list = (values: string[] | undefined) =>
  (values ?? [])
    .flatMap((value) => value.split(','))
    .map((value) => value.trim())
    .filter(Boolean);

async function send(args: string[], env: Record<string, string | undefined>): Promise<string> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      from: { type: 'string' },
      to: { type: 'string', multiple: true },
      cc: { type: 'string', multiple: true },
      subject: { type: 'string' },
      text: { type: 'string', default: '' },
    },
  });
  const to = list(values.to);
  if (!values.from?.includes('@')) throw new CliUsageError('Give the sender with --from.');
  if (to.length === 0) throw new CliUsageError('Give at least one signer with --to.');
  if (!values.subject) throw new CliUsageError('Give the subject with --subject (it must contain *SIGN).');
  if (positionals.length === 0) throw new CliUsageError('Give the PDF files to sign.');
  const attachments = await Promise.all(
    positionals.map(async (file) => ({
      filename: basename(file),
      content: await readFile(file).catch((error: unknown) => {
        throw new CliUsageError(`Cannot read ${file}: ${(error as Error).message}`);
      }),
      contentType: 'application/pdf',
    })),
  );
  const endpoints = await readLocalEndpoints(env);
  if (!endpoints.smtp)
    throw new CliUsageError('The running stack does not publish its SMTP port; restart `npm start`.');
  const transport = nodemailer.createTransport({ ...endpoints.smtp, secure: false, ignoreTLS: true });
  try {
    const info = await transport.sendMail({
      from: values.from,
      to,
      cc: list(values.cc),
      subject: values.subject,
      text: values.text,
      attachments,
    });
    return info.messageId;
  } finally {
    transport.close();
  }
}

export async function runSendCommand(args: string[], options: SendCommandIo = {}): Promise<number> {
  const stdout = options.stdout ?? ((text: string) => void process.stdout.write(text));
  const stderr = options.stderr ?? ((text: string) => void process.stderr.write(text));
  if (args.length === 0 || args[0] === 'help' || args[0] === '--help') {
    stdout(USAGE);
    return args.length === 0 ? 1 : 0;
  }
  try {
    const messageId = await send(args, options.env ?? process.env);
    stdout(`Sent ${messageId}; see the outbox at the stack's /dev/outbox.\n`);
    return 0;
  } catch (error) {
    if (error instanceof CliUsageError || (error as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      stderr(`${(error as Error).message}\n\n${USAGE}`);
      return 2;
    }
    stderr(`mailsign send: ${(error as Error).message}\n`);
    return 1;
  }
}
