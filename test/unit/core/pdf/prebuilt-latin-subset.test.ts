// The Latin subset built once per process: what it covers, that every document embeds the same
// program, and that its widths, glyph codes and ToUnicode map agree with the font itself.
import { create as createFontkitFont } from 'fontkit';
import type { Font as FontkitFont } from 'fontkit';
import {
  decodePDFRawStream,
  type PDFArray,
  PDFDict,
  PDFDocument,
  type PDFHexString,
  PDFName,
  type PDFNumber,
  type PDFRawStream,
} from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { readPackageFontFile } from '../../../../lambdas/adapters/node/package-font-files.ts';
import { prepareDocument } from '../../../../lambdas/core/pdf/prepare-document.ts';
import { coversText, createPrebuiltLatinEmbedder } from '../../../../lambdas/core/pdf/prebuilt-latin-subset.ts';
import { requireTool } from '../../../support/require-tool.ts';
import { extractText } from './pdf-text-tools.ts';
import { makeAudit, makePdf, makePng, SIGNING_TIME } from './pdf-test-fixtures.ts';

const latin = createFontkitFont(Buffer.from(readPackageFontFile('latin'))) as FontkitFont;

type EmbeddedFont = { baseFont: string; program: Uint8Array; widths: PDFArray; toUnicode: string };

/** The Type0 fonts of a PDF, with their decoded program, /W and ToUnicode map. */
async function embeddedFonts(pdf: Uint8Array): Promise<EmbeddedFont[]> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  const decoded = (stream: unknown) => decodePDFRawStream(stream as PDFRawStream).decode();
  return doc.context
    .enumerateIndirectObjects()
    .map(([, object]) => object)
    .filter(
      (object): object is PDFDict =>
        object instanceof PDFDict && object.get(PDFName.of('Subtype')) === PDFName.of('Type0'),
    )
    .map((font) => {
      const cidFont = (font.lookup(PDFName.of('DescendantFonts')) as PDFArray).lookup(0) as PDFDict;
      const descriptor = cidFont.lookup(PDFName.of('FontDescriptor')) as PDFDict;
      return {
        baseFont: String(font.get(PDFName.of('BaseFont'))),
        program: decoded(descriptor.lookup(PDFName.of('FontFile2'))),
        widths: cidFont.lookup(PDFName.of('W')) as PDFArray,
        toUnicode: new TextDecoder().decode(decoded(font.lookup(PDFName.of('ToUnicode')))),
      };
    });
}

async function prepareWithCaption(caption: string): Promise<Uint8Array> {
  return prepareDocument({
    original: await makePdf({ pages: 1 }),
    stamps: [
      {
        image: makePng({ width: 60, height: 20 }),
        caption,
        placements: [{ page: 1, x: 0.1, y: 0.1, width: 0.5, height: 0.1 }],
      },
    ],
    audit: makeAudit({ signers: 1 }),
    signingTime: SIGNING_TIME,
  });
}

describe('prebuilt Latin subset', () => {
  it('covers French, Polish and Turkish names and punctuation, not Greek, Cyrillic or Vietnamese', () => {
    for (const text of ['Françoise Lefèvre — 14:03 · 12 €', 'Łukasz Żółć', 'Ayşe Yılmaz', '« Contrat » n° 42…']) {
      expect(coversText({ font: latin, text }), text).toBe(true);
    }
    for (const text of ['Ωmega', 'Юлия', 'Nguyễn', '山田']) expect(coversText({ font: latin, text }), text).toBe(false);
  });

  it("maps every glyph to its letter with the font's own advance, and draws text with those glyphs", async () => {
    const embedder = createPrebuiltLatinEmbedder({ font: latin });
    const pdf = await PDFDocument.create();
    {
      const ref = await embedder.embedIntoContext(pdf.context);
      const font = pdf.context.lookup(ref) as PDFDict;
      const cidFont = (font.lookup(PDFName.of('DescendantFonts')) as PDFArray).lookup(0) as PDFDict;
      const widths = cidFont.lookup(PDFName.of('W')) as PDFArray;
      const advances = (widths.lookup(1) as PDFArray).asArray().map((n) => (n as PDFNumber).asNumber());
      const cmap = new TextDecoder().decode(
        decodePDFRawStream(font.lookup(PDFName.of('ToUnicode')) as PDFRawStream).decode(),
      );
      const letters = new Map(
        [...cmap.matchAll(/^<([0-9A-F]{4})> <([0-9A-F]{4})>$/gm)]
          .filter((m) => m[1] !== '0000')
          .map((m) => [m[1]!, Number.parseInt(m[2]!, 16)]),
      );
      expect(letters.size).toBe(advances.length);
      for (const [gid, codePoint] of letters) {
        const expected = (latin.glyphForCodePoint(codePoint).advanceWidth * 1000) / latin.unitsPerEm;
        expect(advances[Number.parseInt(gid, 16) - 1], String.fromCodePoint(codePoint)).toBeCloseTo(expected, 6);
      }
      const text = 'Élodie Dąbrowska';
      const codes = (embedder.encodeText(text) as PDFHexString).asString().match(/.{4}/g)!;
      expect(codes.map((gid) => String.fromCodePoint(letters.get(gid)!)).join('')).toBe(text);
      const width = [...text].reduce((sum, c) => sum + latin.glyphForCodePoint(c.codePointAt(0)!).advanceWidth, 0);
      expect(embedder.widthOfTextAtSize(text, 10)).toBeCloseTo((width * 10) / latin.unitsPerEm, 6);
    }
  });

  it.runIf(requireTool('pdftotext'))(
    'embeds the same font program in every document, and the names read back',
    async () => {
      const first = await prepareWithCaption('Jeanne Martin');
      const second = await prepareWithCaption('Zoé Šimková');

      const [firstFonts, secondFonts] = [await embeddedFonts(first), await embeddedFonts(second)];
      expect(firstFonts).toHaveLength(1);
      expect(secondFonts).toHaveLength(1);
      expect(Buffer.from(secondFonts[0]!.program).equals(Buffer.from(firstFonts[0]!.program))).toBe(true);
      expect(extractText(first)).toContain('Jeanne Martin');
      expect(extractText(second)).toContain('Zoé Šimková');
    },
  );

  it.runIf(requireTool('pdftotext'))(
    'draws a line with a letter beyond it from a per-document subset beside it',
    async () => {
      const prepared = await prepareWithCaption('Nguyễn Thị Minh');

      const fonts = await embeddedFonts(prepared);
      expect(fonts).toHaveLength(2);
      expect(fonts.every((font) => font.baseFont.includes('NotoSans-Regular'))).toBe(true);
      expect(extractText(prepared)).toContain('Nguyễn Thị Minh');
    },
  );
});
