// Rebuilds the sender's own message for one signer: the same text and HTML, inline images and
// other parts kept, with a signing block (French, then English) inserted at the very top.
import {
  composeMailParts,
  contentSize,
  escapeHtml,
  personLabel,
  type MailAddress,
  type MailAttachment,
} from '../mail/compose-mail.ts';
import { fitsInOneMail } from '../mail/mail-size.ts';
import type { MailParts } from '../ports.ts';

export type InvitationMessage = {
  subject: string;
  text: string;
  html?: string;
  attachments: MailAttachment[];
  messageId?: string;
};

export type ComposeInvitationOptions = {
  message: InvitationMessage;
  sender: { name: string; email: string };
  signer: { name: string; email: string; position: number };
  signerCount: number;
  /** Name of the signer who must sign before this one (for later signers). */
  previousSignerName?: string;
  documentNames: string[];
  link: string;
  service: MailAddress;
  date: Date;
  expiresAt: Date;
  /** A deterministic Message-ID: a resend after a crash is the same message to the recipient's client. */
  outgoingMessageId?: string;
};

function formatDate(date: Date, locale: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(date);
}

function describeBlock(options: ComposeInvitationOptions) {
  const { sender, signer, signerCount, documentNames, previousSignerName } = options;
  const yourTurn = signer.position === 1;
  const docs = documentNames.join(', ');
  // No "claire@x (claire@x)" when the sender has no display name.
  const who = personLabel({ name: sender.name, email: sender.email });
  const fr = [
    `${who} vous demande de signer ` +
      `électroniquement ${documentNames.length > 1 ? `${documentNames.length} documents` : 'un document'} ` +
      `: ${docs}.`,
    `Vous êtes le signataire ${signer.position} sur ${signerCount}.`,
    yourTurn
      ? `Signer maintenant (lien personnel, valable jusqu'au ${formatDate(options.expiresAt, 'fr-FR')}) :`
      : 'Vous recevrez un e-mail quand ce sera votre tour ' +
        `(après ${previousSignerName ?? 'le signataire précédent'}). Vous pouvez ` +
        'déjà consulter les documents :',
  ];
  const en = [
    `${who} asks you to ` +
      `sign ${documentNames.length > 1 ? `${documentNames.length} documents` : 'a document'} ` +
      `electronically: ${docs}.`,
    `You are signer ${signer.position} of ${signerCount}.`,
    yourTurn
      ? `Sign now (personal link, valid until ${formatDate(options.expiresAt, 'en-GB')}):`
      : 'You will be emailed when it is your turn ' +
        `(after ${previousSignerName ?? 'the previous signer'}). You can already ` +
        'view the documents:',
  ];
  return { fr, en, yourTurn };
}

const DO_NOT_FORWARD = 'Ne transférez pas ce lien. / Do not forward this link.';

function textBlock(options: ComposeInvitationOptions): string {
  const { fr, en } = describeBlock(options);
  const rule = '-'.repeat(60);
  return [rule, ...fr, options.link, '', ...en, options.link, DO_NOT_FORWARD, rule, '', ''].join('\n');
}

function htmlBlock(options: ComposeInvitationOptions): string {
  const { fr, en, yourTurn } = describeBlock(options);
  const link = escapeHtml(options.link);
  const button = (label: string) =>
    `<a href="${link}" style="display:inline-block;padding:10px 20px;background:#1d4ed8;color:#ffffff;` +
    `border-radius:6px;text-decoration:none;font-weight:bold">${label}</a>`;
  const paragraphs = (lines: string[]) =>
    lines.map((line) => `<p style="margin:0 0 8px">${escapeHtml(line)}</p>`).join('');
  const blockStyle =
    'font-family:Arial,Helvetica,sans-serif;border:1px solid #c7d2fe;background:#eef2ff;' +
    'border-radius:8px;padding:16px;margin:0 0 20px;color:#1e293b';
  const frButton = button(yourTurn ? 'Signer le document' : 'Consulter les documents');
  const enButton = button(yourTurn ? 'Sign the document' : 'View the documents');
  return `<div data-mailsign-block style="${blockStyle}">
<div lang="fr">${paragraphs(fr)}<p style="margin:0 0 14px">${frButton}</p></div>
<div lang="en">${paragraphs(en)}<p style="margin:0 0 8px">${enButton}</p></div>
<p style="margin:8px 0 0;font-size:12px;color:#64748b">${DO_NOT_FORWARD}</p></div>`;
}

/** Inserts the block right after the opening body tag, or at the top when there is none. */
function insertAtTop(html: string, block: string): string {
  const body = /<body\b[^>]*>/i.exec(html);
  if (!body) return block + html;
  const at = body.index + body[0].length;
  return html.slice(0, at) + block + html.slice(at);
}

const TOO_LARGE_NOTE = {
  fr: 'Les documents sont trop volumineux pour être joints à ce message : ouvrez-les avec le lien ci-dessus.',
  en: 'The documents are too large to be attached to this message: open them with the link above.',
};

/** In parts: the re-sent PDFs' encodings are shared by every signer's invitation (no copy each). */
export async function composeInvitation(options: ComposeInvitationOptions): Promise<MailParts> {
  const { message, sender, signer, service } = options;
  // Above what SES accepts, the files stay behind the signing link (inline images stay).
  const attach = fitsInOneMail(message.attachments.map((attachment) => contentSize(attachment.content)));
  const attachments = attach ? message.attachments : message.attachments.filter((attachment) => attachment.cid);
  const note = attach ? '' : `${TOO_LARGE_NOTE.fr}\n${TOO_LARGE_NOTE.en}\n\n`;
  const noteHtml = attach
    ? ''
    : `<p lang="fr">${escapeHtml(TOO_LARGE_NOTE.fr)}</p><p lang="en">${escapeHtml(TOO_LARGE_NOTE.en)}</p>`;
  const html = message.html ? insertAtTop(message.html, htmlBlock(options) + noteHtml) : undefined;
  return composeMailParts({
    from: { name: `${sender.name} via ${service.name ?? 'mailsign'}`, address: service.address },
    to: [{ name: signer.name, address: signer.email }],
    replyTo: { name: sender.name, address: sender.email },
    subject: message.subject,
    text: textBlock(options) + note + message.text,
    html,
    attachments,
    date: options.date,
    ...(message.messageId && { inReplyTo: message.messageId }),
    ...(options.outgoingMessageId && { messageId: options.outgoingMessageId }),
    headers: { 'Auto-Submitted': 'auto-generated', 'X-Mailsign-Position': String(signer.position) },
  });
}
