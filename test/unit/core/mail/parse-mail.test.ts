// The streamed parse gives what mailparser gives for the whole Buffer, whatever the size of the
// pieces it is fed: checked on a real request and on seeded malformed variants of it.
import fc from 'fast-check';
import { simpleParser, type ParsedMail } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { parseMail } from '../../../../lambdas/core/mail/parse-mail.ts';
import { buildSignRequestMail, makePdf } from '../../../support/mail-fixtures.ts';

/** What intake reads of a parsed mail. */
function summary(mail: ParsedMail) {
  return {
    headerLines: mail.headerLines,
    from: mail.from?.text,
    to: Array.isArray(mail.to) ? mail.to.map((a) => a.text) : mail.to?.text,
    cc: Array.isArray(mail.cc) ? mail.cc.map((a) => a.text) : mail.cc?.text,
    subject: mail.subject,
    messageId: mail.messageId,
    text: mail.text,
    html: mail.html,
    attachments: mail.attachments.map((a) => ({
      filename: a.filename,
      contentType: a.contentType,
      contentDisposition: a.contentDisposition,
      cid: a.cid,
      related: a.related,
      content: Buffer.from(a.content).toString('hex'),
    })),
  };
}

const OPTIONS = { skipHtmlToText: true, skipTextToHtml: true, skipTextLinks: true } as const;

describe('parseMail', async () => {
  const pdf = await makePdf({ pages: 2 });
  const valid = await buildSignRequestMail({
    to: ['Jeanne <jeanne@client.fr>'],
    cc: ['Paul <paul@client.fr>'],
    subject: '*SIGN Contrat de prestation — été',
    text: 'Bonjour,\n\nVoici le contrat.',
    html: '<p>Bonjour <img src="cid:logo@x"></p>',
    attachments: [
      { filename: 'contrat.pdf', content: pdf, contentType: 'application/pdf' },
      {
        filename: 'logo.png',
        content: new Uint8Array([137, 80, 78, 71, 1, 2, 3]),
        contentType: 'image/png',
        cid: 'logo@x',
      },
    ],
  });

  it('reads a request with a PDF and an inline image as mailparser reads the whole Buffer', async () => {
    const streamed = await parseMail({ raw: valid });
    const attached = streamed.attachments.find((a) => a.filename === 'contrat.pdf');
    expect(Buffer.from(attached?.content ?? []).equals(Buffer.from(pdf))).toBe(true);
    expect(streamed.attachments.find((a) => a.filename === 'logo.png')?.cid).toBe('logo@x');
    expect(summary(streamed)).toEqual(summary(await simpleParser(Buffer.from(valid), OPTIONS)));
  });

  it('reads the bytes in place: the caller’s bytes are left unchanged', async () => {
    const copy = Buffer.from(valid);
    await parseMail({ raw: valid, chunkBytes: 7 });
    expect(Buffer.from(valid).equals(copy)).toBe(true);
  });

  it('60 seeded malformed variants: the same result for any piece size', async () => {
    const text = Buffer.from(valid).toString('latin1');
    const variant = fc.record({
      kind: fc.constantFrom('truncate', 'flip', 'insert'),
      at: fc.nat(),
      byte: fc.integer({ min: 0, max: 255 }),
      insert: fc.constantFrom(
        '\r\n--',
        '\r\n\r\n',
        '=?utf-8?B?',
        '\r\nContent-Type: multipart/mixed; boundary="x"\r\n',
      ),
      chunkBytes: fc.integer({ min: 1, max: 4096 }),
    });
    await fc.assert(
      fc.asyncProperty(variant, async (v) => {
        const at = v.at % text.length;
        const mutated =
          v.kind === 'truncate'
            ? text.slice(0, at)
            : v.kind === 'flip'
              ? text.slice(0, at) + String.fromCharCode(v.byte) + text.slice(at + 1)
              : text.slice(0, at) + v.insert + text.slice(at);
        const raw = new Uint8Array(Buffer.from(mutated, 'latin1'));
        const whole = await simpleParser(Buffer.from(raw), OPTIONS).then(summary, (error: Error) => error.message);
        const streamed = await parseMail({ raw, chunkBytes: v.chunkBytes }).then(
          summary,
          (error: Error) => error.message,
        );
        expect(streamed).toEqual(whole);
      }),
      { seed: 20261130, numRuns: 60 },
    );
  }, 60_000);
});
