// MIME caps: a message with too many parts, too deep a nest, too many attachments or a huge
// header block is refused as MAIL_TOO_COMPLEX with a clear reply, after a bounded pre-scan; and a
// seeded fuzz run over malformed mails: every one ends in a recorded outcome (accepted, refused,
// ignored, failed), never an escaping exception.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getInboundRecord } from '../../../../lambdas/core/intake/inbound-records.ts';
import { assessMimeComplexity, MIME_LIMITS } from '../../../../lambdas/core/intake/mime-limits.ts';
import { receiveSignRequest } from '../../../../lambdas/core/intake/receive-sign-request.ts';
import { createFakeDeps } from '../../../support/fake-deps.ts';
import { buildSignRequestMail, makePdf } from '../../../support/mail-fixtures.ts';

const PASS = { dmarc: 'PASS', spf: 'PASS', dkim: 'PASS', spam: 'PASS', virus: 'PASS' };
const HEAD =
  'From: Claire <claire@agence-dubois.fr>\r\nTo: jeanne@client.fr\r\nSubject: *SIGN Contrat\r\nMIME-Version: 1.0\r\n';
const encode = (text: string) => new Uint8Array(Buffer.from(text, 'latin1'));

/** `depth` multiparts nested in each other, a PDF part at the bottom. */
function nested(depth: number, pdf: string): Uint8Array {
  let body = `Content-Type: application/pdf; name="c.pdf"\r\nContent-Transfer-Encoding: base64\r\n\r\n${pdf}\r\n`;
  for (let level = depth; level >= 1; level -= 1) {
    body = `Content-Type: multipart/mixed; boundary="b${level}"\r\n\r\n--b${level}\r\n${body}--b${level}--\r\n`;
  }
  return encode(HEAD + body);
}

/** One PDF and `count` small attachments. */
function manyAttachments(count: number, pdf: string): Uint8Array {
  const parts = [`Content-Type: application/pdf; name="c.pdf"\r\nContent-Transfer-Encoding: base64\r\n\r\n${pdf}`];
  for (let i = 0; i < count; i += 1) {
    parts.push(`Content-Type: text/plain; name="n${i}.txt"\r\nContent-Disposition: attachment\r\n\r\nx`);
  }
  return encode(
    `${HEAD}Content-Type: multipart/mixed; ` +
      `boundary="B"\r\n\r\n${parts.map((p) => `--B\r\n${p}\r\n`).join('')}--B--\r\n`,
  );
}

async function deliver(raw: Uint8Array, messageId = 'm') {
  const deps = createFakeDeps();
  await deps.rawMail.put({ key: messageId, body: raw, contentType: 'message/rfc822' });
  const outcome = await receiveSignRequest({
    deps,
    messageId,
    verdicts: PASS,
    envelopeSender: 'claire@agence-dubois.fr',
  });
  return { deps, outcome };
}

const pdfBase64 = async () => Buffer.from(await makePdf()).toString('base64');

describe('assessMimeComplexity', () => {
  it('passes an ordinary request', async () => {
    const raw = await buildSignRequestMail({
      to: ['jeanne@client.fr'],
      subject: '*SIGN x',
      text: 'Bonjour',
      attachments: [{ filename: 'c.pdf', content: await makePdf(), contentType: 'application/pdf' }],
    });
    expect(assessMimeComplexity(raw)).toEqual({ ok: true });
  });

  it('passes nesting up to the cap and refuses one level more', async () => {
    const pdf = await pdfBase64();
    expect(assessMimeComplexity(nested(MIME_LIMITS.depth, pdf))).toEqual({ ok: true });
    expect(assessMimeComplexity(nested(MIME_LIMITS.depth + 1, pdf))).toMatchObject({ ok: false, limit: 'depth' });
  });

  it('refuses a huge top-level header block, keeping bounded headers to answer with', () => {
    const raw = encode(`${HEAD}X-Filler: ${'a'.repeat(MIME_LIMITS.headerBytes)}\r\n\r\nbody`);
    const result = assessMimeComplexity(raw);
    expect(result).toMatchObject({ ok: false, limit: 'headerBytes' });
    expect((result as { headers: Uint8Array }).headers.byteLength).toBeLessThanOrEqual(MIME_LIMITS.headerBytes + 4);
  });
});

describe('intake of over-complex mail', () => {
  it('refuses 5,000 nested multiparts as MAIL_TOO_COMPLEX, with a reply naming the cause', async () => {
    const { deps, outcome } = await deliver(nested(5000, await pdfBase64()));
    expect(outcome).toEqual({ status: 'refused', code: 'MAIL_TOO_COMPLEX' });
    const [reply] = await deps.parseSentMail();
    expect(reply?.deliveredTo).toEqual(['claire@agence-dubois.fr']);
    expect(reply?.text).toContain(`plus de ${MIME_LIMITS.depth} niveaux`);
    expect(reply?.text).toContain("personne n'a été contacté");
  });

  it('refuses 1 PDF + 1,000 attachments as MAIL_TOO_COMPLEX', async () => {
    const { deps, outcome } = await deliver(manyAttachments(1000, await pdfBase64()));
    expect(outcome).toEqual({ status: 'refused', code: 'MAIL_TOO_COMPLEX' });
    expect((await deps.parseSentMail())[0]?.text).toContain(`plus de ${MIME_LIMITS.attachments} pièces jointes`);
  });

  it('accepts 1 PDF + a few attachments', async () => {
    const { outcome } = await deliver(manyAttachments(3, await pdfBase64()));
    expect(outcome.status).toBe('accepted');
  });
});

describe('fuzz: malformed mail always ends in a recorded outcome', async () => {
  const pdf = await pdfBase64();
  const valid = Buffer.from(
    await buildSignRequestMail({
      to: ['Jeanne <jeanne@client.fr>'],
      cc: ['paul@client.fr'],
      subject: '*SIGN Contrat',
      text: 'Bonjour',
      html: '<p>Bonjour</p>',
      attachments: [{ filename: 'c.pdf', content: await makePdf(), contentType: 'application/pdf' }],
    }),
  ).toString('latin1');
  const mutation = fc.oneof(
    fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
    fc.record({
      kind: fc.constant('flip' as const),
      at: fc.array(fc.nat(), { maxLength: 20 }),
      byte: fc.integer({ min: 0, max: 255 }),
    }),
    fc.record({
      kind: fc.constant('insert' as const),
      at: fc.nat(),
      text: fc.string({ unit: 'binary-ascii', maxLength: 200 }),
    }),
    fc.record({ kind: fc.constant('nest' as const), depth: fc.integer({ min: 0, max: 60 }) }),
    fc.record({ kind: fc.constant('attachments' as const), count: fc.integer({ min: 0, max: 250 }) }),
    fc.record({
      kind: fc.constant('boundary' as const),
      at: fc.nat(),
      line: fc.constantFrom(
        '--',
        '--B',
        '--B--',
        'Content-Type: multipart/mixed; boundary="B"\r\n\r\n--B',
        'boundary="',
      ),
    }),
  );
  function build(m: {
    kind: string;
    at?: number | number[];
    byte?: number;
    text?: string;
    depth?: number;
    count?: number;
    line?: string;
  }): Uint8Array {
    switch (m.kind) {
      case 'truncate':
        return encode(valid.slice(0, (m.at as number) % valid.length));
      case 'flip': {
        const bytes = encode(valid);
        for (const at of m.at as number[]) bytes[at % bytes.length] = m.byte as number;
        return bytes;
      }
      case 'insert':
      case 'boundary': {
        const at = (m.at as number) % valid.length;
        return encode(valid.slice(0, at) + (m.text ?? `\r\n${m.line}\r\n`) + valid.slice(at));
      }
      case 'nest':
        return nested(m.depth as number, pdf);
      default:
        return manyAttachments(m.count as number, pdf);
    }
  }

  it('100 seeded malformed mails: an outcome is recorded for each, none escapes', async () => {
    let index = 0;
    await fc.assert(
      fc.asyncProperty(mutation, async (m) => {
        index += 1;
        const messageId = `fuzz-${index}`;
        const { deps, outcome } = await deliver(build(m), messageId);
        const record = await getInboundRecord({ store: deps.store, messageId });
        expect(record?.outcome).toEqual(outcome);
        expect(['accepted', 'refused', 'ignored', 'failed']).toContain(outcome.status);
        // A refusal or failure to an authenticated sender is one reply, never more.
        if (outcome.status === 'refused' || outcome.status === 'failed')
          expect(deps.sentMail.length).toBeLessThanOrEqual(1);
      }),
      { seed: 20261130, numRuns: 100 },
    );
  }, 120_000);
});
