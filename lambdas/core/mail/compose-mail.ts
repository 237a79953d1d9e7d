// Builds raw RFC 5322 messages with nodemailer's MailComposer, and the bilingual (FR then EN)
// service notifications. The Mailer port only ever receives finished bytes.
import MailComposer from 'nodemailer/lib/mail-composer';
import type Mail from 'nodemailer/lib/mailer';
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
      // A view of the caller's bytes: an invitation re-sends up to 30 MB of PDFs per signer.
      content: Buffer.from(attachment.content.buffer, attachment.content.byteOffset, attachment.content.byteLength),
      contentType: attachment.contentType,
      cid: attachment.cid,
      contentDisposition: attachment.contentDisposition ?? (attachment.cid ? 'inline' : 'attachment'),
    })),
  };
  const built = await new MailComposer(mail).compile().build();
  return new Uint8Array(built.buffer, built.byteOffset, built.byteLength);
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
