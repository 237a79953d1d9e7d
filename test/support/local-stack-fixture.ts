// Starts the real local stack (dynalite, s3rver, SMTP, HTTP) on free ports in a temporary data
// directory, and reads its outbox, for the end-to-end tests.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { simpleParser, type ParsedMail } from 'mailparser';
import { createLocalRuntime } from '../../lambdas/runtime/local-runtime.ts';
import { startLocalStack, type LocalStack } from '../../lambdas/runtime/local-stack.ts';
import type { PipelineTrace } from '../../lambdas/runtime/local-pipeline-trace.ts';

export type TestStack = LocalStack & { cleanup(): Promise<void> };

export async function startTestStack(
  options: { webRoot?: string; jobsIntervalMs?: number; trace?: PipelineTrace; dataDir?: string } = {},
): Promise<TestStack> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'mailsign-stack-')));
  const stack = await startLocalStack({
    host: '127.0.0.1',
    port: 0,
    smtpPort: 0,
    dataDir,
    webRoot: options.webRoot ?? join(dataDir, 'no-web'),
    ...createLocalRuntime({ trace: options.trace }),
    trace: options.trace,
    ...(options.jobsIntervalMs !== undefined && { jobsIntervalMs: options.jobsIntervalMs }),
    log: (line) => process.stderr.write(`[stack] ${line}\n`),
  });
  return Object.assign(stack, {
    async cleanup() {
      await stack.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  });
}

export type SmtpAttachment = { filename: string; content: Uint8Array; contentType?: string };

export async function sendSmtp(
  stack: LocalStack,
  mail: {
    from: string;
    to: string[];
    cc?: string[];
    subject: string;
    text: string;
    html?: string;
    attachments?: SmtpAttachment[];
    messageId?: string;
    inReplyTo?: string;
    references?: string;
  },
) {
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port: stack.smtpPort,
    secure: false,
    ignoreTLS: true,
  });
  try {
    await transport.sendMail({
      ...mail,
      attachments: mail.attachments?.map((a) => ({
        filename: a.filename,
        content: Buffer.from(a.content),
        contentType: a.contentType,
      })),
    });
  } finally {
    transport.close();
  }
}

export type OutboxMail = ParsedMail & { file: string; deliveredTo: string[]; raw: Buffer };

/** The mails the stack has sent (only those whose .json is written), oldest first. */
export async function readOutboxMail(stack: LocalStack): Promise<OutboxMail[]> {
  const directory = join(stack.dataDir, 'outbox', 'mail');
  const names = (await readdir(directory).catch(() => [])).filter((n) => n.endsWith('.json')).sort();
  return Promise.all(
    names.map(async (name) => {
      const meta = JSON.parse(await readFile(join(directory, name), 'utf8')) as { to: string[] };
      const file = name.replace(/\.json$/, '.eml');
      const raw = await readFile(join(directory, file));
      return Object.assign(await simpleParser(raw), { file, deliveredTo: meta.to, raw });
    }),
  );
}

export async function readOutboxSms(stack: LocalStack): Promise<Array<{ to: string; body: string; sentAt: string }>> {
  const directory = join(stack.dataDir, 'outbox', 'sms');
  const names = (await readdir(directory).catch(() => [])).filter((n) => n.endsWith('.json')).sort();
  return Promise.all(names.map(async (name) => JSON.parse(await readFile(join(directory, name), 'utf8'))));
}

/** The login link of the latest customer-area login mail sent to `email` ('' when there is none). */
export async function latestLoginLink(stack: LocalStack, email: string): Promise<string> {
  const mail = (await readOutboxMail(stack))
    .filter((m) => m.deliveredTo[0] === email && /account\.html#t=/.test(m.text ?? ''))
    .at(-1);
  return /https?:\/\/\S+\/account\.html#t=[A-Za-z0-9_-]+/.exec(mail?.text ?? '')?.[0] ?? '';
}

/** Asks the API for a login mail, as the login form does, and returns its link. */
export async function requestLoginLink(stack: LocalStack, email: string): Promise<string> {
  await fetch(`${stack.httpUrl}/api/account/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email }),
  });
  return latestLoginLink(stack, email);
}
