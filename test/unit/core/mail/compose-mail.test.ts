// Headers we write never carry control characters from inbound data (subject, names, file names).
import { randomBytes } from 'node:crypto';
import { simpleParser } from 'mailparser';
import MailComposer from 'nodemailer/lib/mail-composer';
import { describe, expect, it } from 'vitest';
import { cleanHeaderText, composeMail } from '../../../../lambdas/core/mail/compose-mail.ts';

describe('cleanHeaderText', () => {
  it('replaces NUL, CR, LF, TAB and DEL with spaces', () => {
    expect(cleanHeaderText('a\u0000b\r\nc\td\u007fe')).toBe('a b c d e');
  });
});

describe('composeMail', () => {
  it('writes no control character and no injected header from an inbound subject, name or file name', async () => {
    const raw = await composeMail({
      from: { name: 'Claire\u0000 via mailsign', address: 'sign@mailsign.test' },
      to: [{ name: 'Jeanne\r\nBcc: evil@x.test', address: 'jeanne@client.fr' }],
      subject: '*SIGN Contrat\u0000\r\nBcc: evil@x.test',
      text: 'Bonjour',
      headers: { 'X-Mailsign-Subject': 'a\u0000b' },
      attachments: [
        { filename: 'con\u0000trat\r\n.pdf', content: new Uint8Array([37, 80]), contentType: 'application/pdf' },
      ],
    });
    const text = Buffer.from(raw).toString('latin1');
    const headerBlock = text.slice(0, text.indexOf('\r\n\r\n'));
    expect(headerBlock.includes('\u0000')).toBe(false);
    expect(headerBlock).not.toMatch(/^bcc:/im);
    const parsed = await simpleParser(Buffer.from(raw));
    expect(parsed.subject).toBe('*SIGN Contrat Bcc: evil@x.test');
    expect(parsed.attachments[0]?.filename).toBe('con trat .pdf');
    expect(parsed.bcc).toBeUndefined();
  });

  it('writes the bytes nodemailer builds from whole Buffers, large attachments streamed and all', async () => {
    const pdf = new Uint8Array(randomBytes(300 * 1024 + 7));
    const note = new Uint8Array(Buffer.from('Très bien\n'.repeat(20_000)));
    const logo = new Uint8Array(randomBytes(100 * 1024));
    const options = {
      from: { name: 'Claire via mailsign', address: 'sign@mailsign.test' },
      to: [{ name: 'Jeanne', address: 'jeanne@client.fr' }],
      subject: '*SIGN Contrat',
      text: 'Bonjour',
      html: '<p>Bonjour <img src="cid:logo@x"></p>',
      date: new Date('2026-11-30T10:00:00Z'),
      messageId: '<fixed@mailsign>',
    };
    const files = [
      { filename: 'contrat.pdf', content: pdf, contentType: 'application/pdf' },
      { filename: 'note.txt', content: note, contentType: 'text/plain' },
      { filename: 'logo.png', content: logo, contentType: 'image/png', cid: 'logo@x' },
    ];
    const composed = await composeMail({ ...options, attachments: files });
    const reference = await new MailComposer({
      ...options,
      attachments: files.map((file) => ({
        ...file,
        content: Buffer.from(file.content),
        contentDisposition: file.cid ? ('inline' as const) : ('attachment' as const),
      })),
    })
      .compile()
      .build();
    // Boundaries are random on every build: named by their order of appearance on both sides.
    const normalize = (bytes: Uint8Array) => {
      let text = Buffer.from(bytes).toString('latin1');
      const boundaries = [...new Set([...text.matchAll(/boundary="([^"]+)"/g)].map((match) => match[1] as string))];
      for (const [index, boundary] of boundaries.entries()) text = text.replaceAll(boundary, `BOUNDARY-${index}`);
      return text;
    };
    expect(composed.byteLength).toBe(reference.byteLength);
    expect(normalize(composed)).toBe(normalize(reference));
  });

  it('writes a message larger than its size estimate whole (headers beyond the room kept for them)', async () => {
    const subject = `*SIGN ${'Contrat été '.repeat(20_000)}`.trim();
    const raw = await composeMail({
      from: { address: 'sign@mailsign.test' },
      to: [{ address: 'jeanne@client.fr' }],
      subject,
      text: 'Bonjour',
    });
    expect(raw.byteLength).toBeGreaterThan(64 * 1024 + 7 * 3);
    const parsed = await simpleParser(Buffer.from(raw));
    expect(parsed.subject).toBe(subject);
    expect(parsed.text?.trim()).toBe('Bonjour');
  });
});
