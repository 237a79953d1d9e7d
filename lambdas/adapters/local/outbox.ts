// Mailer for the local stack: each message becomes `<epoch-ms>-<id>.eml` (the exact bytes SES
// would get) plus `<epoch-ms>-<id>.json` (who it is delivered to), written atomically, .eml first.
import { randomBytes } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock, Mailer, OutgoingMail, OutgoingSms, SmsSender } from '../../core/ports.ts';

export type OutboxOptions = { directory: string; clock: Clock };

async function writeAtomically(path: string, data: Uint8Array | string): Promise<void> {
  const temporary = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temporary, data, { mode: 0o600 });
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
      await writeAtomically(join(options.directory, `${stem}.eml`), mail.raw);
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
