// The Latin letters of nearly every name, and of the whole audit page, as one Noto Sans subset built
// once per process (Basic Latin, Latin-1, Latin Extended-A, general punctuation, the euro sign):
// every document then embeds the same font program, widths and ToUnicode map instead of subsetting,
// deflating and mapping its own. Subsetting was the costliest step left in a fresh process's first
// document (fontkit's table encoder and the glyph decoding behind it, cold: about 5 ms of a 1 MB
// finalization, 2 ms warm, with the garbage it leaves; issue 12). The price is size: about 16 KB of
// font per document where a subset of only the letters drawn is about 5 KB. Text with any other
// letter (Greek, Cyrillic, Vietnamese, other scripts) keeps the per-document subsets of
// unicode-fonts.ts.
import type { Font as FontkitFont } from 'fontkit';
import { deflateSync } from 'node:zlib';
import { CustomFontEmbedder, PDFHexString, PDFRawStream, PDFString } from 'pdf-lib';
import type { PDFContext, PDFRef } from 'pdf-lib';

/** The code points the prebuilt subset holds (where the font has them). */
const RANGES: ReadonlyArray<readonly [number, number]> = [
  [0x20, 0x7e],
  [0xa0, 0x17f],
  [0x2010, 0x2027],
  [0x2030, 0x205e],
  [0x20ac, 0x20ac],
];

type BuiltSubset = {
  /** The subset's glyph id of each code point, as the 4-digit hex of an Identity-H string. */
  hexOf: Map<number, string>;
  /** Advance of each code point, in thousandths of the font size. */
  advanceOf: Map<number, number>;
  /** The TrueType subset, deflated, and its length before. */
  fontFile: Uint8Array;
  fontFileLength: number;
  /** The ToUnicode CMap, deflated. */
  toUnicode: Uint8Array;
  /** The CID font's /W: one run from glyph 1. */
  widths: [number, number[]];
};

const built = new WeakMap<FontkitFont, BuiltSubset>();

const hex4 = (value: number) => value.toString(16).toUpperCase().padStart(4, '0');

function buildSubset(font: FontkitFont): BuiltSubset {
  const subset = font.createSubset();
  const scale = 1000 / font.unitsPerEm;
  const hexOf = new Map<number, string>();
  const advanceOf = new Map<number, number>();
  /** Per subset glyph id (from 1), its advance and the first code point drawn with it. */
  const glyphs: Array<{ advance: number; codePoint: number }> = [];
  for (const [first, last] of RANGES) {
    for (let codePoint = first; codePoint <= last; codePoint += 1) {
      if (!font.hasGlyphForCodePoint(codePoint)) continue;
      const glyph = font.glyphForCodePoint(codePoint);
      // fontkit returns the glyph's id in the subset (its typings say boolean).
      const id = subset.includeGlyph(glyph) as unknown as number;
      const advance = glyph.advanceWidth * scale;
      // A glyph shared by several code points (space and no-break space) reads as the first one.
      glyphs[id - 1] ??= { advance, codePoint };
      hexOf.set(codePoint, hex4(id));
      advanceOf.set(codePoint, advance);
    }
  }
  const program = subset.encode();
  const toUnicode = [
    '/CIDInit /ProcSet findresource begin',
    '12 dict begin',
    'begincmap',
    '/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def',
    '/CMapName /Adobe-Identity-UCS def',
    '/CMapType 2 def',
    '1 begincodespacerange',
    '<0000> <FFFF>',
    'endcodespacerange',
    // A bfchar block holds at most 100 entries (PDF 32000-1, 9.10.3).
    ...Array.from({ length: Math.ceil(glyphs.length / 100) }, (_, block) => {
      const entries = glyphs.slice(block * 100, block * 100 + 100);
      const lines = entries.map((glyph, i) => `<${hex4(block * 100 + i + 1)}> <${hex4(glyph.codePoint)}>`);
      return [`${entries.length} beginbfchar`, ...lines, 'endbfchar'].join('\n');
    }),
    'endcmap',
    'CMapName currentdict /CMap defineresource pop',
    'end',
    'end',
  ].join('\n');
  return {
    hexOf,
    advanceOf,
    fontFile: deflateSync(program),
    fontFileLength: program.length,
    toUnicode: deflateSync(toUnicode),
    widths: [1, glyphs.map((glyph) => glyph.advance)],
  };
}

/** The font descriptor's flags as pdf-lib derives them for the subsets it embeds (FontFlags.ts). */
function fontFlags(font: FontkitFont): number {
  const familyClass = (font as unknown as { 'OS/2'?: { sFamilyClass: number } })['OS/2']?.sFamilyClass ?? 0;
  const tables = font as unknown as { post: { isFixedPitch: boolean }; head: { macStyle: { italic: boolean } } };
  let flags = 1 << 2; // symbolic: the glyphs are addressed by CID, not by a standard encoding
  if (tables.post.isFixedPitch) flags |= 1 << 0;
  if (familyClass >= 1 && familyClass <= 7) flags |= 1 << 1;
  if (familyClass === 10) flags |= 1 << 3;
  if (tables.head.macStyle.italic) flags |= 1 << 6;
  return flags;
}

// pdf-lib types its embedders' constructors as private; PDFFont accepts any CustomFontEmbedder.
const FontEmbedder = CustomFontEmbedder as unknown as new (font: FontkitFont, data: Uint8Array) => CustomFontEmbedder;

/** Embeds the prebuilt subset into one document; draws only text that `coversText` accepts. */
class PrebuiltSubsetEmbedder extends FontEmbedder {
  constructor(
    private readonly parsed: FontkitFont,
    private readonly subset: BuiltSubset,
  ) {
    super(parsed, new Uint8Array(0));
  }

  override encodeText(text: string): PDFHexString {
    let hex = '';
    for (const char of text) hex += this.subset.hexOf.get(char.codePointAt(0)!) ?? '0000';
    return PDFHexString.of(hex);
  }

  override widthOfTextAtSize(text: string, size: number): number {
    let width = 0;
    for (const char of text) width += this.subset.advanceOf.get(char.codePointAt(0)!) ?? 0;
    return (width * size) / 1000;
  }

  override async embedIntoContext(context: PDFContext, ref?: PDFRef): Promise<PDFRef> {
    const font = this.parsed;
    const scale = 1000 / font.unitsPerEm;
    const baseFont = context.addRandomSuffix(this.fontName);
    const fontFile = context.register(
      PDFRawStream.of(
        context.obj({ Filter: 'FlateDecode', Length1: this.subset.fontFileLength }),
        this.subset.fontFile,
      ),
    );
    const descriptor = context.register(
      context.obj({
        Type: 'FontDescriptor',
        FontName: baseFont,
        Flags: fontFlags(font),
        FontBBox: [font.bbox.minX * scale, font.bbox.minY * scale, font.bbox.maxX * scale, font.bbox.maxY * scale],
        ItalicAngle: font.italicAngle,
        Ascent: font.ascent * scale,
        Descent: font.descent * scale,
        CapHeight: (font.capHeight || font.ascent) * scale,
        XHeight: (font.xHeight || 0) * scale,
        StemV: 0,
        FontFile2: fontFile,
      }),
    );
    const cidFont = context.register(
      context.obj({
        Type: 'Font',
        Subtype: 'CIDFontType2',
        CIDToGIDMap: 'Identity',
        BaseFont: baseFont,
        CIDSystemInfo: { Registry: PDFString.of('Adobe'), Ordering: PDFString.of('Identity'), Supplement: 0 },
        FontDescriptor: descriptor,
        W: this.subset.widths,
      }),
    );
    const toUnicode = context.register(PDFRawStream.of(context.obj({ Filter: 'FlateDecode' }), this.subset.toUnicode));
    const fontDict = context.obj({
      Type: 'Font',
      Subtype: 'Type0',
      BaseFont: baseFont,
      Encoding: 'Identity-H',
      DescendantFonts: [cidFont],
      ToUnicode: toUnicode,
    });
    if (!ref) return context.register(fontDict);
    context.assign(ref, fontDict);
    return ref;
  }
}

function subsetOf(font: FontkitFont): BuiltSubset {
  let subset = built.get(font);
  if (!subset) {
    subset = buildSubset(font);
    built.set(font, subset);
  }
  return subset;
}

export type PrebuiltLatinOptions = { font: FontkitFont; text: string };

/** Whether every letter of the text is in the prebuilt subset of this (Latin) font. */
export function coversText(options: PrebuiltLatinOptions): boolean {
  const { hexOf } = subsetOf(options.font);
  for (const char of options.text) if (!hexOf.has(char.codePointAt(0)!)) return false;
  return true;
}

export type CreatePrebuiltLatinEmbedderOptions = { font: FontkitFont };

/** An embedder for one document; the subset itself is built on the first call for this font. */
export function createPrebuiltLatinEmbedder(options: CreatePrebuiltLatinEmbedderOptions): CustomFontEmbedder {
  return new PrebuiltSubsetEmbedder(options.font, subsetOf(options.font));
}
