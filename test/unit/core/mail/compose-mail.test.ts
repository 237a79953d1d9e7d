// Headers we write never carry control characters from inbound data (subject, names, file names);
// large attachments, encoded once and spliced, give the very bytes nodemailer writes.
import { simpleParser } from 'mailparser';
import MailComposer from 'nodemailer/lib/mail-composer';
import { describe, expect, it } from 'vitest';
import { cleanHeaderText, composeMail, encodeBase64Lines } from '../../../../lambdas/core/mail/compose-mail.ts';

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

describe('large attachments', () => {
  // nodemailer's own rendering of the same mail, the reference the spliced one must equal.
  async function nodemailerRendering(options: Parameters<typeof composeMail>[0]): Promise<Buffer> {
    return new MailComposer({
      from: options.from,
      to: options.to,
      subject: options.subject,
      text: options.text,
      messageId: options.messageId,
      date: options.date,
      attachments: options.attachments?.map((a) => ({
        filename: a.filename,
        content: Buffer.from(a.content),
        contentType: a.contentType,
        contentDisposition: 'attachment' as const,
      })),
    })
      .compile()
      .build();
  }
  /** The random MIME boundaries replaced, so two renderings of one mail can be compared byte for byte. */
  function withoutBoundaries(raw: Uint8Array): string {
    const text = Buffer.from(raw).toString('latin1');
    const boundaries = [...text.matchAll(/boundary="([^"]+)"/g)].map((m) => m[1] as string);
    return boundaries.reduce((result, boundary, index) => result.replaceAll(boundary, `BOUNDARY${index}`), text);
  }
  const bytes = (length: number, seed: number) => new Uint8Array(length).map((_, i) => (i * 7919 + seed * 31) % 251);

  it('writes the bytes nodemailer writes, whatever the size around line and block edges', async () => {
    const sizes = [65_536, 65_537, 65_538, 65_540, 65_550, 68_400, 114_000, 116_736, 300_001];
    const options = {
      from: { address: 'sign@mailsign.test' },
      to: [{ address: 'jeanne@client.fr' }],
      subject: 'Signé',
      text: 'Bonjour',
      messageId: '<fixed@mailsign>',
      date: new Date('2026-11-30T10:00:00Z'),
      attachments: sizes.map((size, index) => ({
        filename: `contrat ${index}.pdf`,
        content: bytes(size, index),
        contentType: 'application/pdf',
      })),
    };
    const spliced = await composeMail(options);
    expect(withoutBoundaries(spliced)).toBe(withoutBoundaries(await nodemailerRendering(options)));
  });

  it('encodes one file once for every mail that attaches it, each mail parsing back to the same bytes', async () => {
    const content = bytes(200_000, 3);
    const mail = (to: string) =>
      composeMail({
        from: { address: 'sign@mailsign.test' },
        to: [{ address: to }],
        subject: 'Signé',
        text: 'Bonjour',
        attachments: [{ filename: 'contrat-signe.pdf', content, contentType: 'application/pdf' }],
      });
    const first = await simpleParser(Buffer.from(await mail('jeanne@client.fr')));
    const second = await simpleParser(Buffer.from(await mail('claire@agence.fr')));
    expect(encodeBase64Lines(content)).toBe(encodeBase64Lines(content));
    for (const parsed of [first, second])
      expect(Buffer.from(content).equals(parsed.attachments[0]?.content as Buffer)).toBe(true);
  });
});
