// Headers we write never carry control characters from inbound data (subject, names, file names).
import { simpleParser } from 'mailparser';
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
});
