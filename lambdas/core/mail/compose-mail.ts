// Builds raw RFC 5322 messages with nodemailer's MailComposer, and the bilingual (FR then EN)
// service notifications. The Mailer port only ever receives finished bytes.
import { Readable } from 'node:stream';
import type Mail from 'nodemailer/lib/mailer';
import { attachedSize } from './mail-size.ts';
import { ENVELOPE_HEADER, envelopeMessageId, envelopeReference } from '../envelopes/envelope-reference.ts';

export type MailAddress = { name?: string; address: string };

export type MailAttachment = {
  filename: string;
  content: Uint8Array;
  contentType: string;
  /** Set for inline images referenced by `cid:` in the HTML part. */
  cid?: string;
  contentDisposition?: 'attachment' | 'inline';
};

export type ComposeMailOptions = {
  from: MailAddress;
  to: MailAddress[];
  cc?: MailAddress[];
  replyTo?: MailAddress;
  /** RFC 5322 Sender: who actually sends when From names someone else. */
  sender?: MailAddress;
  subject: string;
  text: string;
  html?: string;
  attachments?: MailAttachment[];
  headers?: Record<string, string>;
  messageId?: string;
  date?: Date;
  inReplyTo?: string;
};

// C0 controls (NUL, CR, LF, TAB...) and DEL: none belongs in a header value, and inbound subjects,
// names and file names may carry them. Replaced by a space so words stay apart.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]+/g;

/** A header value safe to write: control characters replaced, ends trimmed. */
export function cleanHeaderText(value: string): string {
  return value.replace(CONTROL_CHARACTERS, ' ').trim();
}

const cleanAddress = (address: MailAddress | undefined): MailAddress | undefined =>
  address && { address: cleanHeaderText(address.address), name: address.name && cleanHeaderText(address.name) };
const cleanAddresses = (list: MailAddress[] | undefined) =>
  list?.map((address) => cleanAddress(address) as MailAddress);

/** Pieces of an attachment handed to the base64 encoder (its output does not depend on them). */
const ENCODE_PIECE_BYTES = 64 * 1024;

function* pieces(bytes: Buffer): Generator<Buffer> {
  for (let at = 0; at < bytes.length; at += ENCODE_PIECE_BYTES) yield bytes.subarray(at, at + ENCODE_PIECE_BYTES);
}

/**
 * A view of the caller's bytes (an invitation re-sends up to 30 MB of PDFs, once per signer),
 * streamed in 64 KB pieces when nodemailer base64-encodes it whatever its form: handed one 12 MB
 * Buffer, its encoder holds the whole file as base64 strings and buffers (~5x its size) at once.
 * Text parts stay Buffers: for them nodemailer picks the transfer encoding from the content.
 */
function attachmentContent(attachment: MailAttachment): Buffer | Readable {
  const { content } = attachment;
  const bytes = Buffer.from(content.buffer, content.byteOffset, content.byteLength);
  if (bytes.length <= ENCODE_PIECE_BYTES || /^(text|multipart|message)\//i.test(attachment.contentType)) return bytes;
  return Readable.from(pieces(bytes), { objectMode: false });
}

/** Every header we write goes through here, so nothing from an inbound mail reaches one raw. */
export async function composeMail(options: ComposeMailOptions): Promise<Uint8Array> {
  const mail: Mail.Options = {
    from: cleanAddress(options.from),
    to: cleanAddresses(options.to),
    cc: cleanAddresses(options.cc),
    replyTo: cleanAddress(options.replyTo),
    sender: cleanAddress(options.sender),
    subject: cleanHeaderText(options.subject),
    text: options.text,
    html: options.html,
    headers:
      options.headers &&
      Object.fromEntries(Object.entries(options.headers).map(([name, value]) => [name, cleanHeaderText(value)])),
    messageId: options.messageId,
    date: options.date,
    inReplyTo: options.inReplyTo && cleanHeaderText(options.inReplyTo),
    attachments: options.attachments?.map((attachment) => ({
      filename: cleanHeaderText(attachment.filename),
      content: attachmentContent(attachment),
      contentType: attachment.contentType,
      cid: attachment.cid,
      contentDisposition: attachment.contentDisposition ?? (attachment.cid ? 'inline' : 'attachment'),
    })),
  };
  // Loaded on the first mail, not with the module: API requests that send nothing never read it.
  const { default: MailComposer } = await import('nodemailer/lib/mail-composer');
  return collectMail(new MailComposer(mail).compile().createReadStream(), sizeHint(options));
}

/** Room for the message: headers, text and HTML (quoted-printable: at most 3x), attachments. */
function sizeHint(options: ComposeMailOptions): number {
  const text = (Buffer.byteLength(options.text) + Buffer.byteLength(options.html ?? '')) * 3;
  const files = (options.attachments ?? []).reduce((sum, a) => sum + attachedSize(a.content.byteLength), 0);
  return 64 * 1024 + text + Math.ceil(files);
}

/**
 * The message's bytes, copied piece by piece into one buffer sized beforehand (grown if ever
 * short): nodemailer's build() keeps every piece and then concatenates them, twice the message.
 */
async function collectMail(stream: AsyncIterable<Buffer>, hint: number): Promise<Uint8Array> {
  let buffer = Buffer.allocUnsafeSlow(hint);
  let length = 0;
  for await (const piece of stream) {
    if (length + piece.length > buffer.length) {
      const grown = Buffer.allocUnsafeSlow(Math.max(buffer.length * 2, length + piece.length));
      buffer.copy(grown, 0, 0, length);
      buffer = grown;
    }
    piece.copy(buffer, length);
    length += piece.length;
  }
  return new Uint8Array(buffer.buffer, buffer.byteOffset, length);
}

export function escapeHtml(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

export type BilingualText = { fr: string; en: string };

export type ServiceMailOptions = {
  from: MailAddress;
  to: MailAddress[];
  replyTo?: MailAddress;
  subject: BilingualText;
  /** Paragraphs, French then English; plain text, escaped for the HTML part. */
  paragraphs: { fr: string[]; en: string[] };
  /** An optional call to action link shown in both languages. */
  action?: { url: string; label: BilingualText };
  attachments?: MailAttachment[];
  date?: Date;
  /** A deterministic Message-ID (seed), for mails a resumed step may send again. */
  messageId?: string;
  /** A mail to the sender about an envelope: the X-Mailsign-Envelope header, "Réf. <8>" in subject and body. */
  envelopeId?: string;
};

/** French typography (French text only): a narrow no-break space before « : ; ! ? » and inside « ». */
export function frenchTypography(text: string): string {
  return text.replace(/[ \u00a0]+([:;!?»])/g, '\u202f$1').replace(/«[ \u00a0]+/g, '«\u202f');
}

/** A service notification: French first, then English, text and HTML parts. */
export async function composeServiceMail(options: ServiceMailOptions): Promise<Uint8Array> {
  const { action, envelopeId } = options;
  const reference = envelopeId ? envelopeReference(envelopeId) : undefined;
  const paragraphs = {
    fr: [...options.paragraphs.fr, ...(reference ? [`Réf. ${reference}`] : [])].map(frenchTypography),
    en: [...options.paragraphs.en, ...(reference ? [`Ref. ${reference}`] : [])],
  };
  const textBlock = (lang: 'fr' | 'en') =>
    [
      ...paragraphs[lang],
      ...(action ? [`${action.label[lang]}${lang === 'fr' ? '\u202f:' : ':'} ${action.url}`] : []),
    ].join('\n\n');
  const htmlBlock = (lang: 'fr' | 'en') =>
    [
      ...paragraphs[lang].map((p) => `<p>${escapeHtml(p).replaceAll('\n', '<br>')}</p>`),
      ...(action
        ? [
            `<p><a href="${escapeHtml(action.url)}" ` +
              'style="display:inline-block;padding:10px 18px;background:#1d4ed8;color:#fff;' +
              'border-radius:6px;text-decoration:none">' +
              `${escapeHtml(action.label[lang])}</a></p>`,
          ]
        : []),
    ].join('\n');
  return composeMail({
    from: options.from,
    to: options.to,
    replyTo: options.replyTo,
    subject:
      `${frenchTypography(options.subject.fr)} ` + `/ ${options.subject.en}${reference ? ` (Réf. ${reference})` : ''}`,
    text: `${textBlock('fr')}\n\n---\n\n${textBlock('en')}\n`,
    html: `<!doctype html><html><body style="font-family:Arial,Helvetica,sans-serif;color:#1f2937">
<div lang="fr">${htmlBlock('fr')}</div><hr style="border:none;border-top:1px solid #e5e7eb">
<div lang="en">${htmlBlock('en')}</div></body></html>`,
    attachments: options.attachments,
    date: options.date,
    ...(envelopeId
      ? {
          headers: { [ENVELOPE_HEADER]: envelopeId },
          // Names the envelope (replies find it) and stays deterministic when a resumed step resends.
          messageId: envelopeMessageId(envelopeId, options.from.address, options.messageId),
        }
      : options.messageId && { messageId: options.messageId }),
  });
}

/** "Jeanne Martin <jeanne@client.fr>", or only the address when there is no other name. */
export function personLabel(person: { name?: string; email: string }): string {
  const name = person.name?.trim();
  return name && name.toLowerCase() !== person.email.toLowerCase() ? `${name} <${person.email}>` : person.email;
}

/** "1 signature sur 2" / "2 signatures sur 2" and "1 of 2 signatures" / "2 of 2 signatures". */
export function signatureCount(k: number, n: number): BilingualText {
  return { fr: `${k} signature${k > 1 ? 's' : ''} sur ${n}`, en: `${k} of ${n} signature${n > 1 ? 's' : ''}` };
}
