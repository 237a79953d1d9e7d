// Every script in the certified PDF: stamps' captions and the audit page carry Polish, Greek,
// Cyrillic, Arabic, Hebrew, Japanese and Vietnamese names, which pdftotext gives back intact, no
// "?" anywhere, only the fonts the text needed embedded (as subsets), and all verifiers pass.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDict, PDFDocument, PDFName, type PDFRawStream } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyFileSigner } from '../../../../lambdas/adapters/local/key-file-signer.ts';
import { certifyDocument, prepareDocument } from '../../../../lambdas/core/pdf/index.ts';
import { wrapText } from '../../../../lambdas/core/pdf/text-encoding.ts';
import { getDocumentFonts } from '../../../../lambdas/core/pdf/unicode-fonts.ts';
import type { DigestSigner } from '../../../../lambdas/core/ports.ts';
import { verifyCertifiedPdf } from '../../../support/pdf-verifiers.ts';
import { requireTool } from '../../../support/require-tool.ts';
import { makeAudit, makePdf, makePng, SIGNING_TIME } from './pdf-test-fixtures.ts';

const NAMES = [
  // Latin with diacritics, Greek, Cyrillic, Arabic, Hebrew, CJK, Vietnamese
  'Łukasz Żółć',
  'Ωmega Δοκιμή',
  'Юлия Иванова',
  'محمد علي',
  'דוד כהן',
  '山田太郎',
  'Nguyễn Thị Minh',
];
const SUBJECT = 'Contrat réf. Ω-42 *SIGN';

let dir: string;
let signer: DigestSigner;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mailsign-unicode-'));
  signer = await createKeyFileSigner({ dataDir: dir });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function pdftotext(pdf: Uint8Array, firstPage?: number, lastPage?: number): string {
  const file = join(dir, `doc-${Math.random().toString(36).slice(2)}.pdf`);
  writeFileSync(file, pdf);
  const range = firstPage ? ['-f', String(firstPage), '-l', String(lastPage ?? firstPage)] : [];
  const result = spawnSync('pdftotext', [...range, file, '-'], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(result.stderr);
  // poppler marks right-to-left runs with embedding controls; the letters themselves are the point.
  return result.stdout.replace(/[\u202a-\u202e\u200e\u200f]/g, '');
}

function fontNames(pdf: Uint8Array): string {
  const file = join(dir, `fonts-${Math.random().toString(36).slice(2)}.pdf`);
  writeFileSync(file, pdf);
  return spawnSync('pdffonts', [file], { encoding: 'utf8' }).stdout;
}

function multiScriptAudit() {
  const audit = makeAudit({ signers: NAMES.length });
  audit.subject = SUBJECT;
  audit.signers = audit.signers.map((s, i) => ({ ...s, name: NAMES[i]! }));
  audit.events = NAMES.map((name) => ({ at: '2026-11-27T14:03:00Z', description: `Signé par / Signed by ${name}` }));
  return audit;
}

describe.runIf(requireTool('pdftotext', 'pdffonts', 'pdfsig', 'mutool', 'qpdf', 'openssl'))(
  'text in every script',
  () => {
    it(
      'prints every signer name and the subject intact on the stamps and the ' + 'audit page, and passes the verifiers',
      async () => {
        const original = await makePdf({ pages: 2 });
        const stamps = NAMES.map((name, i) => ({
          image: makePng({ width: 60, height: 20 }),
          caption: `${name} — 2026-11-27 14:03 UTC`,
          placements: [{ page: 1 + (i % 2), x: 0.05, y: 0.05 + 0.12 * i, width: 0.6, height: 0.1 }],
        }));
        const prepared = await prepareDocument({
          original,
          stamps,
          audit: multiScriptAudit(),
          signingTime: SIGNING_TIME,
        });
        const certified = await certifyDocument({ prepared, signer });

        const stampText = pdftotext(certified, 1, 2);
        const auditText = pdftotext(certified, 3, 99);
        for (const name of NAMES) {
          expect(stampText, `stamp caption of ${name}`).toContain(name);
          expect(auditText, `audit line of ${name}`).toContain(name);
        }
        expect(auditText).toContain('réf. Ω-42');
        expect(auditText).not.toContain('?');
        const fonts = fontNames(certified);
        for (const face of ['NotoSans-Regular', 'NotoNaskhArabic', 'NotoSansHebrew', 'NotoSansJP']) {
          expect(fonts).toContain(face);
        }
        await verifyCertifiedPdf({ pdf: certified, original });
      },
    );

    it('embeds only the Latin subset when no name needs another script', async () => {
      const original = await makePdf({ pages: 1 });
      const prepared = await prepareDocument({
        original,
        stamps: [
          {
            image: makePng({ width: 60, height: 20 }),
            caption: 'Jeanne Martin',
            placements: [{ page: 1, x: 0.1, y: 0.1, width: 0.3, height: 0.1 }],
          },
        ],
        audit: makeAudit({ signers: 1 }),
        signingTime: SIGNING_TIME,
      });
      const fonts = fontNames(prepared);
      expect(fonts).toContain('NotoSans-Regular');
      expect(fonts).not.toMatch(
        /NotoSansJP|NotoSansKR|NotoNaskhArabic|NotoSansHebrew|NotoSansThai|NotoSansArmenian|NotoSansGeorgian/,
      );
      // A subset: the whole Noto Sans file is ~630 kB.
      const doc = await PDFDocument.load(prepared);
      const fontFiles = doc.context
        .enumerateIndirectObjects()
        .map(([, object]) => object)
        .filter((object): object is PDFDict => object instanceof PDFDict && object.has(PDFName.of('FontFile2')))
        .map((descriptor) => (descriptor.lookup(PDFName.of('FontFile2')) as PDFRawStream).contents.length);
      expect(fontFiles).toHaveLength(1);
      expect(fontFiles[0]).toBeLessThan(40_000);
    });
  },
);

describe('wrapText', () => {
  it('cuts an e-mail address too long for the line after "@" or ".", never mid-word when avoidable', async () => {
    const fonts = getDocumentFonts({ doc: await PDFDocument.create() });
    const text = 'Signataire : jeanne.martin-dupont@client-tres-long.example.fr';
    const maxWidth = fonts.widthOf('jeanne.martin-dupont@clie', 9);
    const lines = wrapText({ text, fonts, size: 9, maxWidth });
    expect(lines.join('')).toBe(text.replace('Signataire : ', 'Signataire :'));
    expect(lines[1]).toBe('jeanne.martin-dupont@');
    for (const line of lines) expect(fonts.widthOf(line, 9)).toBeLessThanOrEqual(maxWidth);
  });
});
