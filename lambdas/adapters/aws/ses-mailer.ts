// Mailer on Amazon SES v2: SendEmail with raw content, the exact MIME bytes the domain composed
// (whole, or in parts that are streamed into the request without being joined).
// SES v2 accepts messages up to 40 MB (`core/mail/mail-size.ts`, the rule the domain uses to
// choose a download link instead); a larger one is refused here first with a typed error rather
// than an opaque SES answer.
import { SendEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import { MailsignError } from '../../core/errors.ts';
import { MAX_MAIL_BYTES } from '../../core/mail/mail-size.ts';
import { outgoingMailParts, outgoingMailSize } from '../../core/mail/outgoing-mail.ts';
import type { Mailer, OutgoingMail } from '../../core/ports.ts';
import { rawContentBodyPlugin } from './ses-raw-body.ts';
import { AwsAdapterError, type AwsAdapterErrorOptions, transientAdapterError } from './aws-adapter-error.ts';

/** SES v2 limit for a raw message, attachments included. */
export const SES_MAX_RAW_BYTES = MAX_MAIL_BYTES;

/** The message is larger than SES accepts: send a link to the documents instead. */
export class MailTooLargeError extends MailsignError<'MailTooLargeError'> {
  readonly sizeBytes: number;
  readonly limitBytes: number;

  constructor(options: { sizeBytes: number; limitBytes: number }) {
    super('MailTooLargeError', `The message is ${options.sizeBytes} bytes; SES accepts at most ${options.limitBytes}.`);
    this.sizeBytes = options.sizeBytes;
    this.limitBytes = options.limitBytes;
  }
}

export type MailSendErrorCode =
  | 'MESSAGE_REJECTED'
  | 'SENDER_NOT_VERIFIED'
  | 'SENDING_PAUSED'
  | 'THROTTLED'
  | 'UNAVAILABLE'
  | 'UNKNOWN';

/** SES refused or failed the send; `transient` when a retry may succeed. */
export class MailSendError extends AwsAdapterError<MailSendErrorCode> {
  constructor(options: AwsAdapterErrorOptions<MailSendErrorCode>) {
    super('MailSendError', options);
  }
}

export type SesMailerOptions = {
  client: SESv2Client;
  /** Optional SES configuration set (event publishing, dedicated IPs). */
  configurationSetName?: string;
};

export function createSesMailer(options: SesMailerOptions): Mailer {
  return {
    async send(mail: OutgoingMail) {
      if (mail.to.length === 0)
        throw new MailSendError({
          code: 'MESSAGE_REJECTED',
          transient: false,
          message: 'A mail needs at least one recipient.',
        });
      const sizeBytes = outgoingMailSize(mail);
      if (sizeBytes > SES_MAX_RAW_BYTES) throw new MailTooLargeError({ sizeBytes, limitBytes: SES_MAX_RAW_BYTES });
      try {
        // A mail in parts is joined nowhere: the body plugin streams its parts (ses-raw-body.ts).
        const data = mail.raw ?? new Uint8Array(0);
        const command = new SendEmailCommand({
          FromEmailAddress: mail.from,
          Destination: { ToAddresses: mail.to },
          Content: { Raw: { Data: data } },
          ConfigurationSetName: options.configurationSetName,
        });
        command.middlewareStack.use(rawContentBodyPlugin(data, outgoingMailParts(mail)));
        const result = await options.client.send(command);
        return { messageId: result.MessageId ?? '' };
      } catch (error) {
        throw mapSesError(error);
      }
    },
  };
}

function mapSesError(error: unknown): MailSendError {
  const name = error instanceof Error ? error.name : 'UnknownError';
  const message = error instanceof Error ? error.message : String(error);
  if (name === 'MessageRejected') {
    // SES says "Message too long" through the same exception; keep its words for the operator.
    return new MailSendError({
      code: 'MESSAGE_REJECTED',
      transient: false,
      message: `SES rejected the message: ${message}`,
      cause: error,
    });
  }
  if (name === 'MailFromDomainNotVerifiedException' || name === 'FromEmailAddressNotVerifiedException') {
    return new MailSendError({
      code: 'SENDER_NOT_VERIFIED',
      transient: false,
      message: `SES sender identity is not verified: ${message}`,
      cause: error,
    });
  }
  if (name === 'SendingPausedException' || name === 'AccountSuspendedException') {
    return new MailSendError({
      code: 'SENDING_PAUSED',
      transient: false,
      message: `SES sending is paused: ${message}`,
      cause: error,
    });
  }
  const transient = transientAdapterError({ error, create: (o) => new MailSendError(o), service: 'SES' });
  if (transient) return transient;
  return new MailSendError({
    code: 'UNKNOWN',
    transient: false,
    message: `SES send failed (${name}): ${message}`,
    cause: error,
  });
}
