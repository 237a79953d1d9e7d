// The local stand-in for SES receiving: an SMTP server that accepts any message, stores the raw
// bytes where SES's S3 action would, and invokes intake with an SES receipt event. Local mail is
// trusted, so its verdicts pass; the verdict rules are tested on SES events in the unit tests.
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { BlobStore } from '../core/ports.ts';
import type { SesReceiptEvent } from '../handlers/ses-event.ts';

export type LocalSmtpOptions = {
  host: string;
  port: number;
  rawMail: BlobStore;
  intake: (event: SesReceiptEvent) => Promise<unknown>;
  onError: (error: unknown) => void;
};

export type LocalSmtp = {
  port: number /** Resolves when every accepted message went through intake. */;
  idle(): Promise<void>;
  stop(): Promise<void>;
};

// SES accepts up to 40 MB; accept a little more so the "too large" reply path can be exercised.
const MAX_MESSAGE_BYTES = 48 * 1024 * 1024;

/** An id shaped like SES's: lowercase letters and digits. */
function newMessageId(): string {
  return randomBytes(20)
    .toString('base64url')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '0')
    .slice(0, 28);
}

function passingEvent(messageId: string, source: string, recipients: string[]): SesReceiptEvent {
  const pass = { status: 'PASS' };
  return {
    Records: [
      {
        eventSource: 'aws:ses',
        ses: {
          mail: { messageId, source, timestamp: new Date().toISOString(), destination: recipients },
          receipt: {
            spamVerdict: pass,
            virusVerdict: pass,
            spfVerdict: pass,
            dkimVerdict: pass,
            dmarcVerdict: pass,
            recipients,
          },
        },
      },
    ],
  };
}

export async function startLocalSmtp(options: LocalSmtpOptions): Promise<LocalSmtp> {
  const pending = new Set<Promise<void>>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: MAX_MESSAGE_BYTES,
    banner: 'mailsign local inbound',
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', callback);
      stream.on('end', () => {
        if (stream.sizeExceeded) {
          callback(Object.assign(new Error('Message exceeds the size limit'), { responseCode: 552 }));
          return;
        }
        const raw = Buffer.concat(chunks);
        const messageId = newMessageId();
        const source = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        const recipients = session.envelope.rcptTo.map((r) => r.address);
        // Like SES: store first, answer 250 once stored, then invoke intake asynchronously.
        options.rawMail
          .put({ key: messageId, body: new Uint8Array(raw), contentType: 'message/rfc822' })
          .then(() => {
            callback(null, `Queued as ${messageId}`);
            const run = options
              .intake(passingEvent(messageId, source, recipients))
              .then(() => undefined, options.onError)
              .finally(() => pending.delete(run));
            pending.add(run);
          })
          .catch((error: unknown) => {
            options.onError(error);
            callback(Object.assign(new Error('Temporary failure storing the message'), { responseCode: 451 }));
          });
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  server.on('error', options.onError);
  const { port } = server.server.address() as AddressInfo;
  const idle = async () => {
    while (pending.size > 0) await Promise.allSettled([...pending]);
  };
  return {
    port,
    idle,
    stop: async () => {
      await idle();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
