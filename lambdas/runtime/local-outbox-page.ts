// `GET /dev/outbox`: what the local stack has "sent", mail and SMS, newest first; a mail is
// listed only once its .json is written (an .eml without its .json is not sent yet).
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

export type OutboxEntry =
  | { kind: 'mail'; file: string; from: string; to: string[]; sentAt: string; subject: string }
  | { kind: 'sms'; file: string; to: string; body: string; sentAt: string };

async function listJson(directory: string): Promise<string[]> {
  try {
    return (await readdir(directory))
      .filter((name) => name.endsWith('.json'))
      .sort()
      .reverse();
  } catch {
    return [];
  }
}

/** The decoded Subject header of a raw message (RFC 2047 words, folded lines). */
function readSubject(raw: string): string {
  const headerEnd = raw.search(/\r?\n\r?\n/);
  const headers = (headerEnd < 0 ? raw : raw.slice(0, headerEnd)).replace(/\r?\n[ \t]+/g, ' ');
  const line = /^subject:\s*(.*)$/im.exec(headers)?.[1] ?? '';
  return line.replace(/=\?([^?]+)\?([bqBQ])\?([^?]*)\?=\s*/g, (_, _charset: string, encoding: string, text: string) =>
    encoding.toUpperCase() === 'B'
      ? Buffer.from(text, 'base64').toString('utf8')
      : Buffer.from(
          text
            .replace(/_/g, ' ')
            .replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))),
          'latin1',
        ).toString('utf8'),
  );
}

export async function readOutbox(dataDir: string): Promise<OutboxEntry[]> {
  const mailDir = join(dataDir, 'outbox', 'mail');
  const smsDir = join(dataDir, 'outbox', 'sms');
  const entries: OutboxEntry[] = [];
  for (const name of await listJson(mailDir)) {
    const meta = JSON.parse(await readFile(join(mailDir, name), 'utf8')) as {
      from: string;
      to: string[];
      sentAt: string;
    };
    const file = name.replace(/\.json$/, '.eml');
    const head = (await readFile(join(mailDir, file))).subarray(0, 64 * 1024).toString('utf8');
    entries.push({ kind: 'mail', file, ...meta, subject: readSubject(head) });
  }
  for (const name of await listJson(smsDir)) {
    const sms = JSON.parse(await readFile(join(smsDir, name), 'utf8')) as { to: string; body: string; sentAt: string };
    entries.push({ kind: 'sms', file: name, ...sms });
  }
  return entries.sort((a, b) => b.sentAt.localeCompare(a.sentAt));
}

const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const FAVICON = '<link rel="icon" href="/favicon.svg" type="image/svg+xml">';
const OUTBOX_STYLE =
  'body{font:14px system-ui,sans-serif;margin:2rem;color:#1e293b}table{border-collapse:collapse;width:100%}' +
  'td,th{border-bottom:1px solid #e2e8f0;padding:.4rem;text-align:left;vertical-align:top}';
const OUTBOX_INTRO =
  'Mail and SMS the local stack has sent, newest first. ' +
  'Open a mail to read it (HTML and text parts, attachments), or download its .eml.';

export function renderOutboxPage(entries: OutboxEntry[]): string {
  const rows = entries
    .map((entry) =>
      entry.kind === 'mail'
        ? `<tr><td>${escapeHtml(entry.sentAt)}</td><td>mail</td><td>${escapeHtml(entry.to.join(', '))}</td>` +
          `<td><a href="/dev/outbox/view/${encodeURIComponent(entry.file)}">` +
          `${escapeHtml(entry.subject || '(no subject)')}</a> · ` +
          `<a href="/dev/outbox/mail/${encodeURIComponent(entry.file)}">.eml</a></td></tr>`
        : `<tr><td>${escapeHtml(entry.sentAt)}</td><td>SMS</td>` +
          `<td>${escapeHtml(entry.to)}</td><td>${escapeHtml(entry.body)}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>mailsign outbox</title>${FAVICON}
<style>${OUTBOX_STYLE}</style>
</head><body><h1>Outbox (local stack)</h1><p>${OUTBOX_INTRO}</p>
<table><thead><tr><th>Sent</th><th>Kind</th><th>To</th><th>Subject / text</th></tr></thead><tbody>
${rows || '<tr><td colspan="4">Nothing sent yet.</td></tr>'}
</tbody></table></body></html>`;
}
