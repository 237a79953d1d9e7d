// Headers we write never carry control characters from inbound data (subject, names, file names);
// large attachments, encoded once and spliced, give the very bytes nodemailer writes.
import { randomBytes } from 'node:crypto';
import { simpleParser } from 'mailparser';
import MailComposer from 'nodemailer/lib/mail-composer';
import { describe, expect, it } from 'vitest';
import {
  cleanHeaderText,
  composeMail,
  composeMailParts,
  composeServiceMail,
  composeServiceMailParts,
  encodeBase64Lines,
} from '../../../../lambdas/core/mail/compose-mail.ts';

/** The random MIME boundaries replaced, so two renderings of one mail can be compared byte for byte. */
function withoutBoundaries(raw: Uint8Array): string {
  const text = Buffer.from(raw).toString('latin1');
  const boundaries = [...new Set([...text.matchAll(/boundary="([^"]+)"/g)].map((m) => m[1] as string))];
  return boundaries.reduce((result, boundary, index) => result.replaceAll(boundary, `BOUNDARY${index}`), text);
}

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

  it('writes the bytes nodemailer builds from whole Buffers, large attachments spliced and all', async () => {
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
    expect(composed.byteLength).toBe(reference.byteLength);
    expect(withoutBoundaries(composed)).toBe(withoutBoundaries(reference));
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
        content: Buffer.from(a.content as Uint8Array),
        contentType: a.contentType,
        contentDisposition: 'attachment' as const,
      })),
    })
      .compile()
      .build();
  }
  const bytes = (length: number, seed: number) => new Uint8Array(length).map((_, i) => (i * 7919 + seed * 31) % 251);
  /** Everything but the attachments, fixed so that two renderings can be compared byte for byte. */
  const fixedMail = {
    from: { address: 'sign@mailsign.test' },
    to: [{ address: 'jeanne@client.fr' }],
    subject: 'Signé',
    text: 'Bonjour',
    messageId: '<fixed@mailsign>',
    date: new Date('2026-11-30T10:00:00Z'),
  };

  it('writes the bytes nodemailer writes, whatever the size around line and block edges', async () => {
    const sizes = [65_536, 65_537, 65_538, 65_540, 65_550, 68_400, 114_000, 116_736, 300_001];
    const options = {
      ...fixedMail,
      attachments: sizes.map((size, index) => ({
        filename: `contrat ${index}.pdf`,
        content: bytes(size, index),
        contentType: 'application/pdf',
      })),
    };
    const spliced = await composeMail(options);
    expect(withoutBoundaries(spliced)).toBe(withoutBoundaries(await nodemailerRendering(options)));
  });

  it.each([
    ['large, its encoding spliced in as it is', 300_001],
    ['small, decoded for nodemailer', 1_000],
  ])('writes the bytes nodemailer writes for a file given already encoded (%s)', async (_, size) => {
    const whole = bytes(size, 6);
    const attachment = { filename: 'contrat.pdf', contentType: 'application/pdf' };
    const encoded = { base64Lines: encodeBase64Lines(new Uint8Array(whole)), size };

    const parts = await composeMailParts({ ...fixedMail, attachments: [{ ...attachment, content: encoded }] });

    const reference = await nodemailerRendering({ ...fixedMail, attachments: [{ ...attachment, content: whole }] });
    expect(withoutBoundaries(Buffer.concat(parts))).toBe(withoutBoundaries(reference));
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

  it('gives in parts the bytes it gives whole, each large file one part shared by every mail', async () => {
    const content = bytes(300_001, 5);
    const options = (to: string) => ({
      from: { address: 'sign@mailsign.test' },
      to: [{ address: to }],
      subject: 'Signé',
      text: 'Bonjour',
      messageId: '<fixed@mailsign>',
      date: new Date('2026-11-30T10:00:00Z'),
      attachments: [
        { filename: 'contrat.pdf', content, contentType: 'application/pdf' },
        { filename: 'logo.png', content: bytes(100, 1), contentType: 'image/png' },
      ],
    });
    const first = await composeMailParts(options('jeanne@client.fr'));
    const second = await composeMailParts(options('claire@agence.fr'));

    expect(withoutBoundaries(Buffer.concat(first))).toBe(
      withoutBoundaries(await composeMail(options('jeanne@client.fr'))),
    );
    expect(first).toHaveLength(3);
    expect(first[1]).toBe(encodeBase64Lines(content));
    expect(second[1]).toBe(first[1]);
  });

  it('gives a service notification in parts with the bytes it gives whole', async () => {
    const content = bytes(200_003, 9);
    const options = {
      from: { address: 'sign@mailsign.test' },
      to: [{ address: 'jeanne@client.fr' }],
      subject: { fr: 'Signé par tous', en: 'Signed by everyone' },
      paragraphs: { fr: ['Voici le document.'], en: ['Here is the document.'] },
      attachments: [{ filename: 'contrat-signe.pdf', content, contentType: 'application/pdf' }],
      date: new Date('2026-11-30T10:00:00Z'),
      messageId: '<final.fixed@mailsign>',
      envelopeId: 'e'.repeat(32),
    };

    const parts = await composeServiceMailParts(options);

    expect(withoutBoundaries(Buffer.concat(parts))).toBe(withoutBoundaries(await composeServiceMail(options)));
    expect(parts).toContain(encodeBase64Lines(content));
  });
});
