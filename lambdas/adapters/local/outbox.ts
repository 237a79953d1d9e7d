// Mailer for the local stack: each message becomes `<epoch-ms>-<id>.eml` (the exact bytes SES
// would get) plus `<epoch-ms>-<id>.json` (who it is delivered to), written atomically, .eml first.
// A mail in parts is written part after part: the whole message is never joined in memory.
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { outgoingMailParts } from '../../core/mail/outgoing-mail.ts';
import type { Clock, MailParts, Mailer, OutgoingMail, OutgoingSms, SmsSender } from '../../core/ports.ts';

export type OutboxOptions = { directory: string; clock: Clock };

async function writeAtomically(path: string, data: MailParts | string): Promise<void> {
  const temporary = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  const file = await open(temporary, 'wx', 0o600);
  try {
    // Each writeFile on a handle continues where the previous one ended.
    if (typeof data === 'string') await file.writeFile(data, 'utf8');
    else for (const part of data) await file.writeFile(part);
  } finally {
    await file.close();
  }
  await rename(temporary, path);
}

function fileStem(clock: Clock): { stem: string; sentAt: string; id: string } {
  const now = clock.now();
  const id = randomBytes(6).toString('hex');
  return { stem: `${now.getTime()}-${id}`, sentAt: now.toISOString(), id };
}

export function createOutboxMailer(options: OutboxOptions): Mailer {
  return {
    async send(mail: OutgoingMail) {
      await mkdir(options.directory, { recursive: true });
      const { stem, sentAt, id } = fileStem(options.clock);
      await writeAtomically(join(options.directory, `${stem}.eml`), outgoingMailParts(mail));
      await writeAtomically(
        join(options.directory, `${stem}.json`),
        `${JSON.stringify({ from: mail.from, to: mail.to, sentAt }, null, 2)}\n`,
      );
      return { messageId: id };
    },
  };
}

export function createOutboxSmsSender(options: OutboxOptions): SmsSender {
  return {
    async send(sms: OutgoingSms) {
      await mkdir(options.directory, { recursive: true });
      const { stem, sentAt, id } = fileStem(options.clock);
      await writeAtomically(
        join(options.directory, `${stem}.json`),
        `${JSON.stringify({ to: sms.to, body: sms.body, sentAt }, null, 2)}\n`,
      );
      return { messageId: id };
    },
  };
}
