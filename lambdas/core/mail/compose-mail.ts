// Builds raw RFC 5322 messages with nodemailer's MailComposer, and the bilingual (FR then EN)
// service notifications. The Mailer port receives finished bytes, whole or in parts.
// Large attachments (certified PDFs, the sender's PDFs re-sent to each signer) are base64-encoded
// once per file, natively, and spliced into the message nodemailer builds around a short stand-in:
// nodemailer's stream encoder costs ~0.1 s per 20 MB and would run again for every recipient, and
// handed a whole file its encoder holds it as base64 strings and buffers (~5x its size) at once.
// The bytes are the ones nodemailer writes (76-character lines, CRLF, none after the last line).
import { randomBytes } from 'node:crypto';
import type Mail from 'nodemailer/lib/mailer';
import { ENVELOPE_HEADER, envelopeMessageId, envelopeReference } from '../envelopes/envelope-reference.ts';
import { joinMailParts } from './outgoing-mail.ts';

export type MailAddress = { name?: string; address: string };

/**
 * A file given already in base64 lines (`encodeBase64Lines`' form), e.g. encoded while it
 * downloaded: the mails take the encoding as it is, and the file itself need never be held.
 */
export type EncodedContent = { readonly base64Lines: Buffer; readonly size: number };

export type AttachmentContent = Uint8Array | EncodedContent;

export type MailAttachment = {
  filename: string;
  /**
   * The file, or its encoding: a certified file that Deliver only passes through (its original,
   * then its signed update) is mailed as the encoding made while it downloaded, never held whole.
   */
  content: AttachmentContent;
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

/** Below this, nodemailer encodes the attachment itself (the splice would not pay). */
const SPLICE_FROM_BYTES = 64 * 1024;
const BASE64_LINE = 76;
// Attachment contents are never changed once handed to a mail (the same file for each recipient).
const encodedAttachments = new WeakMap<Uint8Array, Buffer>();

/** The content's bytes as one Buffer: a view of the file, or its encoding decoded. */
function wholeContent(content: AttachmentContent): Buffer {
  if (content instanceof Uint8Array) return Buffer.from(content.buffer, content.byteOffset, content.byteLength);
  // Node's base64 decoder skips the line breaks.
  return Buffer.from(content.base64Lines.toString('latin1'), 'base64');
}

export function contentSize(content: AttachmentContent): number {
  return content instanceof Uint8Array ? content.byteLength : content.size;
}

/** Input bytes per base64 line, and per block encoded at once (1024 lines). */
const LINE_INPUT = (BASE64_LINE / 4) * 3;
const BLOCK_INPUT = LINE_INPUT * 1024;

/** `content` in base64, lines of 76 characters separated by CRLF, as nodemailer's encoder writes it. */
export function encodeBase64Lines(content: AttachmentContent): Buffer {
  if (!(content instanceof Uint8Array)) return content.base64Lines;
  const cached = encodedAttachments.get(content);
  if (cached) return cached;
  const encoder = createBase64LineEncoder(content.byteLength);
  encoder.push(content);
  const encoded = encoder.finish();
  encodedAttachments.set(content, encoded);
  return encoded;
}

export type Base64LineEncoder = {
  /** The next bytes of the content, in order. */
  push(chunk: Uint8Array): void;
  /** The whole encoding, once exactly the announced size was pushed. */
  finish(): Buffer;
};

/**
 * encodeBase64Lines of `size` bytes given in pieces as they come (a file encoded while it
 * downloads). Each block of lines is encoded natively straight into the output, after a gap as
 * wide as the line breaks it needs; its lines are then moved down into place with copyWithin (a
 * native memmove, no allocation) and the CRLFs written between them. A JavaScript copy of the
 * lines measured twice as slow (60 ms for 20 MB against 30), and a whole-file intermediate would
 * double the garbage. Bytes short of a whole line wait for the next piece, so every line but the
 * last is whole.
 */
export function createBase64LineEncoder(size: number): Base64LineEncoder {
  const lines = Math.ceil(size / LINE_INPUT);
  const encoded = Buffer.allocUnsafeSlow(Math.ceil(size / 3) * 4 + Math.max(0, lines - 1) * 2);
  const carry = Buffer.alloc(LINE_INPUT);
  let carried = 0;
  let pushed = 0;
  let to = 0;
  /** Encodes `input`: whole lines, but for the very last line of the content. */
  const encodeLines = (input: Buffer) => {
    for (let block = 0; block < input.length; block += BLOCK_INPUT) {
      const end = Math.min(block + BLOCK_INPUT, input.length);
      const blockLines = Math.ceil((end - block) / LINE_INPUT);
      // A CRLF before every line but the content's first. Moving line i down never reaches line
      // i + 1 before it has moved: the gap still ahead of it is at least 2 bytes.
      const breaks = to > 0 ? blockLines : blockLines - 1;
      let from = to + breaks * 2;
      const length = encoded.write(input.toString('base64', block, end), from, 'latin1');
      const last = from + length;
      while (from < last) {
        if (to > 0) {
          encoded[to] = 0x0d;
          encoded[to + 1] = 0x0a;
          to += 2;
        }
        const next = Math.min(from + BASE64_LINE, last);
        if (from !== to) encoded.copyWithin(to, from, next);
        to += next - from;
        from = next;
      }
    }
  };
  return {
    push(chunk) {
      let bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      pushed += bytes.length;
      if (pushed > size) throw new Error(`More than the announced ${size} bytes to encode.`);
      if (carried > 0) {
        const taken = bytes.copy(carry, carried, 0, LINE_INPUT - carried);
        carried += taken;
        bytes = bytes.subarray(taken);
        if (carried < LINE_INPUT) return;
        encodeLines(carry);
        carried = 0;
      }
      const whole = bytes.length - (bytes.length % LINE_INPUT);
      encodeLines(bytes.subarray(0, whole));
      carried = bytes.copy(carry, 0, whole);
    },
    finish() {
      if (pushed !== size) throw new Error(`${pushed} bytes encoded, not the announced ${size}.`);
      if (carried > 0) encodeLines(carry.subarray(0, carried));
      carried = 0;
      return encoded;
    },
  };
}

type Splice = { standIn: Buffer; encoded: Buffer };

/**
 * The message cut at each stand-in's encoding (one line), the real attachment's encoding put in
 * its place: the pieces that, joined, are the message. Undefined when a stand-in is not found.
 */
function spliceAttachments(built: Buffer, splices: Splice[]): Uint8Array[] | undefined {
  const found = splices.map((splice) => {
    const marker = splice.standIn.toString('base64');
    const at = built.indexOf(marker, 0, 'latin1');
    return { ...splice, at, length: marker.length };
  });
  if (found.some((splice) => splice.at < 0)) return undefined;
  found.sort((a, b) => a.at - b.at);
  const parts: Uint8Array[] = [];
  let from = 0;
  for (const splice of found) {
    parts.push(built.subarray(from, splice.at), splice.encoded);
    from = splice.at + splice.length;
  }
  parts.push(built.subarray(from));
  return parts;
}

/** Every header we write goes through here, so nothing from an inbound mail reaches one raw. */
export async function composeMail(options: ComposeMailOptions): Promise<Uint8Array> {
  const parts = await composeMailParts(options);
  return parts.length === 1 ? new Uint8Array(parts[0] as Uint8Array) : joinMailParts(parts);
}

/**
 * The message as parts (see `MailParts`): each large attachment's encoding is one part, the same
 * Buffer for every mail that attaches the same content, so a mail to several recipients costs no
 * copy of its attachments per recipient. Joined, the parts are `composeMail`'s bytes.
 */
export async function composeMailParts(options: ComposeMailOptions): Promise<Uint8Array[]> {
  const splices: Splice[] = [];
  const content = (attachment: MailAttachment): Buffer => {
    if (contentSize(attachment.content) < SPLICE_FROM_BYTES) return wholeContent(attachment.content);
    // 48 random bytes: 64 base64 characters, one line, found nowhere else in the message.
    const standIn = randomBytes(48);
    splices.push({ standIn, encoded: encodeBase64Lines(attachment.content) });
    return standIn;
  };
  const built = await buildMail(options, content);
  if (splices.length === 0) return [built];
  const spliced = spliceAttachments(built, splices);
  if (spliced) return spliced;
  // A stand-in not found as one line: nodemailer changed how it writes parts; encode the usual way.
  return [await buildMail(options, (attachment) => wholeContent(attachment.content))];
}

async function buildMail(options: ComposeMailOptions, content: (attachment: MailAttachment) => Buffer) {
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
      content: content(attachment),
      contentType: attachment.contentType,
      cid: attachment.cid,
      contentDisposition: attachment.contentDisposition ?? (attachment.cid ? 'inline' : 'attachment'),
    })),
  };
  // Loaded on the first mail, not with the module: API requests that send nothing never read it.
  const { default: MailComposer } = await import('nodemailer/lib/mail-composer');
  return new MailComposer(mail).compile().build();
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
  return composeMail(serviceMail(options));
}

/** composeServiceMail as parts (composeMailParts): large attachments are not copied per recipient. */
export async function composeServiceMailParts(options: ServiceMailOptions): Promise<Uint8Array[]> {
  return composeMailParts(serviceMail(options));
}

function serviceMail(options: ServiceMailOptions): ComposeMailOptions {
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
  return {
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
  };
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
