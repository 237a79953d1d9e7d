// The dev outbox's webmail view of one sent mail: its headers, the text part, the HTML part as
// a mail client would show it (in a sandboxed frame: no scripts, no navigation), and every
// attachment as a download. Read from the .eml the outbox keeps, parsed with mailparser.
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { simpleParser } from 'mailparser';
import type { Attachment, ParsedMail } from 'mailparser';

const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export type ReadOutboxMailOptions = { dataDir: string; file: string };

/** The parsed mail, or undefined when no such sent mail exists (names are plain file names). */
export async function readOutboxMail(options: ReadOutboxMailOptions): Promise<ParsedMail | undefined> {
  const file = basename(options.file);
  if (file !== options.file || !file.endsWith('.eml')) return undefined;
  try {
    return await simpleParser(await readFile(join(options.dataDir, 'outbox', 'mail', file)));
  } catch {
    return undefined;
  }
}

export type OutboxAttachment = { filename: string; contentType: string; content: Buffer };

export function pickAttachment(mail: ParsedMail, index: number): OutboxAttachment | undefined {
  const attachment: Attachment | undefined = mail.attachments[index];
  if (!attachment) return undefined;
  return {
    filename: attachment.filename ?? `attachment-${index + 1}`,
    contentType: attachment.contentType || 'application/octet-stream',
    content: attachment.content,
  };
}

const addressText = (value: ParsedMail['to']): string =>
  (Array.isArray(value) ? value : value ? [value] : []).map((a) => a.text).join(', ');

export type RenderOutboxMailOptions = { mail: ParsedMail; file: string };

const VIEWPORT = '<meta name="viewport" content="width=device-width, initial-scale=1">';
const FAVICON = '<link rel="icon" href="/favicon.svg" type="image/svg+xml">';
const MAIL_VIEW_STYLE =
  'body{font:14px system-ui,sans-serif;margin:1.5rem;color:#1e293b;max-width:60rem}' +
  'dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}dt{font-weight:600}' +
  'dd{margin:0;overflow-wrap:anywhere}\n' +
  'iframe{width:100%;height:32rem;border:1px solid #cbd5e1;border-radius:8px;background:#fff}' +
  'pre{white-space:pre-wrap;background:#f1f5f9;padding:1rem;border-radius:8px}.muted{color:#475569}';

export function renderOutboxMail(options: RenderOutboxMailOptions): string {
  const { mail, file } = options;
  const link = encodeURIComponent(file);
  const headers: Array<[string, string]> = [
    ['From', mail.from?.text ?? ''],
    ['To', addressText(mail.to)],
    ['Cc', addressText(mail.cc)],
    ['Date', mail.date?.toISOString() ?? ''],
    ['Subject', mail.subject ?? ''],
  ];
  const attachments = mail.attachments
    .map(
      (a, i) =>
        `<li><a href="/dev/outbox/attachment/${link}/${i}" download>` +
        `${escapeHtml(a.filename ?? `attachment-${i + 1}`)}</a> ` +
        `<span class="muted">${escapeHtml(a.contentType)}, ${a.size} bytes</span></li>`,
    )
    .join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">${VIEWPORT}
<title>${escapeHtml(mail.subject ?? '(no subject)')} – mailsign outbox</title>${FAVICON}
<style>${MAIL_VIEW_STYLE}</style>
</head><body><p><a href="/dev/outbox">← Outbox</a> · <a href="/dev/outbox/mail/${link}">Download .eml</a></p>
<h1>${escapeHtml(mail.subject ?? '(no subject)')}</h1>
<dl>${headers
    .filter(([, v]) => v)
    .map(([k, v]) => `<dt>${k}</dt><dd>${escapeHtml(v)}</dd>`)
    .join('')}</dl>
${attachments ? `<h2>Attachments</h2><ul>${attachments}</ul>` : ''}
${mail.html ? `<h2>HTML part</h2><iframe title="HTML part" sandbox="" srcdoc="${escapeHtml(mail.html)}"></iframe>` : ''}
${mail.text ? `<h2>Text part</h2><pre>${escapeHtml(mail.text)}</pre>` : ''}
</body></html>`;
}
