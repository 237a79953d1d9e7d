// Text in any script for the stamps and the audit page: Noto fonts (Latin/Greek/Cyrillic/Vietnamese
// and Devanagari, Arabic, Hebrew, Thai, Bengali, Tamil, Gujarati, Gurmukhi, Telugu, Kannada,
// Malayalam, Sinhala, Khmer, Thaana, Ethiopic, Armenian, Georgian, Korean, CJK with Simplified Chinese) embedded
// as subsets holding only the glyphs drawn, with a ToUnicode map so the text stays extractable. A
// script's font file is read and parsed once per process, and only when some text needs it: a
// document signed by Latin names never touches the other files. Letters no face has are drawn as
// boxes, never an error. A run made only of the Latin letters of nearly every name (French, Polish,
// Turkish...) is drawn with one subset built once per process instead (prebuilt-latin-subset.ts).
//
// Layout is ours rather than fontkit's full OpenType layout (which costs ~170 ms on its first call
// for Noto Sans): Latin, Greek, Cyrillic, Hebrew, Thaana, Ethiopic, Armenian, Georgian, Hangul and
// CJK need no shaping once text is NFC-composed, so each code point maps straight to its glyph
// through the cmap; Arabic, Thai, Devanagari, the Indic scripts and Khmer alone go through fontkit's
// shaper (joining forms, ligatures, conjuncts, reordering; corrected by fontkit-fixes.ts). Right-to-left runs are put in visual order here.
import { create as createFontkitFont } from 'fontkit';
import type { Font as FontkitFont, Glyph, Subset } from 'fontkit';
import { deflateSync } from 'node:zlib';
import { CustomFontSubsetEmbedder, PDFFont, PDFRawStream } from 'pdf-lib';
import type { Color, CustomFontEmbedder, PDFContext, PDFDocument, PDFPage } from 'pdf-lib';
import { ConfigError } from '../errors.ts';
import { contentOperators, markActualText } from './actual-text.ts';
import { fixFontkitShaping } from './fontkit-fixes.ts';
import { coversText, createPrebuiltLatinEmbedder } from './prebuilt-latin-subset.ts';
import {
  DEVANAGARI,
  DEVANAGARI_STRETCHES,
  faceOfCodePoint,
  isShapedInOrder,
  JOINERS,
  LATIN_FACE_COVERS,
  OTHER_SCRIPTS,
  RTL_FACES,
  SHAPER_SCRIPTS,
} from './script-faces.ts';

import { type FontFace, installedFontFileReader, onFontFilesInstalled } from './font-files.ts';

// The font files' registry lives in font-files.ts (installing them loads no PDF code).
export { type FontFace, type FontFileReader, installFontFiles, type InstallFontFilesOptions } from './font-files.ts';

const parsed = new Map<FontFace, FontkitFont>();
onFontFilesInstalled(() => {
  parsed.clear();
  advanceCache.clear();
});

const advanceCache = new Map<FontFace, Map<number, number>>();

function advancesOf(face: FontFace): Map<number, number> {
  let advances = advanceCache.get(face);
  if (!advances) {
    advances = new Map();
    advanceCache.set(face, advances);
  }
  return advances;
}

function loadFace(face: FontFace): FontkitFont {
  const known = parsed.get(face);
  if (known) return known;
  const reader = installedFontFileReader();
  // A deployment fault, not the document's: never reported to a sender as a damaged file.
  if (!reader) {
    throw new ConfigError(
      'No font files are installed for drawing text into PDFs: the composition root must import ' +
        'lambdas/runtime/pdf-fonts.ts (installFontFiles was not called).',
    );
  }
  let bytes: Uint8Array;
  try {
    bytes = reader(face);
  } catch (error) {
    throw new ConfigError(
      `The ${face} font file could not be read: deploy the fonts/ folder beside the bundle ` +
        '(lib/constructs) or reinstall the @embedpdf/fonts-* packages.',
      { cause: error },
    );
  }
  const font = createFontkitFont(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)) as FontkitFont;
  parsed.set(face, font);
  return font;
}

/** Whether a run goes through fontkit's shaper (its width is then the shaped glyphs' advances). */
function isShaped(face: FontFace, text: string): boolean {
  return face in SHAPER_SCRIPTS || (face === 'latin' && DEVANAGARI.test(text));
}

/** The glyphs of one same-face run, in visual (left to right) order. */
function layoutRun(face: FontFace, font: FontkitFont, text: string): Glyph[] {
  if (face === 'arabic') {
    // fontkit shapes and returns right-to-left runs already reversed into visual order.
    return font.layout(text, undefined, SHAPER_SCRIPTS.arabic, undefined, 'rtl').glyphs;
  }
  // Thai: the font's composition rules (sara am, marks); Bengali, Tamil, Gujarati, Gurmukhi, Telugu,
  // Kannada, Malayalam, Sinhala and Khmer: reordered vowel signs, two-part vowels, conjuncts and
  // ligatures (Khmer's coeng subscripts), by fontkit's Indic shaper.
  const script = SHAPER_SCRIPTS[face as keyof typeof SHAPER_SCRIPTS];
  if (script) {
    fixFontkitShaping({ font });
    return font.layout(text, undefined, script).glyphs;
  }
  const byCodePoint = (part: string) => [...part].map((char) => font.glyphForCodePoint(char.codePointAt(0)!));
  if (face === 'latin' && DEVANAGARI.test(text)) {
    // Odd pieces of the split are the Devanagari stretches, shaped by fontkit's Indic shaper.
    return text
      .split(DEVANAGARI_STRETCHES)
      .flatMap((part, index) => (index % 2 === 1 ? font.layout(part, undefined, 'deva').glyphs : byCodePoint(part)));
  }
  const glyphs = byCodePoint(text);
  return RTL_FACES.has(face) ? glyphs.reverse() : glyphs;
}

/**
 * What pdf-lib's subset embedder sees as "the font": the parsed fontkit font with our layout, and
 * a subset whose bytes come as the stream pdf-lib expects (fontkit 2 returns them at once).
 */
function embedderFont(face: FontFace, font: FontkitFont): FontkitFont {
  return new Proxy(font, {
    get(target, prop) {
      if (prop === 'layout') return (text: string) => ({ glyphs: layoutRun(face, target, text) });
      if (prop === 'createSubset') return () => streamingSubset(target.createSubset());
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

type ByteStream = { on(event: string, listener: (value?: unknown) => void): ByteStream };

function streamingSubset(subset: Subset): Subset {
  return new Proxy(subset, {
    get(target, prop) {
      if (prop === 'encodeStream') {
        return () => {
          const listeners: Record<string, (value?: unknown) => void> = {};
          const stream: ByteStream = {
            on(event, listener) {
              listeners[event] = listener;
              if (listeners.data && listeners.end && listeners.error) {
                queueMicrotask(() => {
                  try {
                    const bytes = target.encode();
                    listeners.data?.(bytes);
                    listeners.end?.();
                  } catch (error) {
                    listeners.error?.(error);
                  }
                });
              }
              return stream;
            },
          };
          return stream;
        };
      }
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/**
 * A piece of a line drawn with one font, in visual order. `missing`: letters of a script no face
 * covers (drawn as .notdef boxes, never an error: a signer's name must not stop a finalization).
 * `actualText`: the glyphs do not spell the text in order (boxes, Devanagari's reordered and
 * conjunct forms, Thai's decomposed vowels), so the text goes along as /ActualText for extraction.
 */
export type TextRun = { text: string; font: PDFFont; face: FontFace; missing?: true; actualText?: true };

export type DrawTextOptions = { x: number; y: number; size: number; color: Color };

/** The fonts of one document: embedded on first use, so a face nobody's text needs is never added. */
export class DocumentFonts {
  private readonly fonts = new Map<FontFace, PDFFont>();
  /** The prebuilt Latin subset (prebuilt-latin-subset.ts), for the runs it covers. */
  private prebuiltLatin?: PDFFont;

  constructor(private readonly doc: PDFDocument) {
    // pdf-lib compresses the font file and its ToUnicode map with pako (pure JS: ~100 ms cold for
    // a subset); node's zlib writes the same FlateDecode streams in about a millisecond.
    const context = doc.context as PDFContext & { flateStream: PDFContext['flateStream'] };
    context.flateStream = (contents, dict = {}) => {
      const bytes = typeof contents === 'string' ? new TextEncoder().encode(contents) : contents;
      return PDFRawStream.of(context.obj({ ...dict, Filter: 'FlateDecode' }), deflateSync(bytes));
    };
  }

  /** Splits a line into same-face runs in visual order (left-to-right paragraph). */
  runs(text: string): TextRun[] {
    return this.pieces(text).map((piece) => ({
      ...piece,
      font:
        piece.face === 'latin' && coversText({ font: loadFace('latin'), text: piece.text })
          ? this.prebuiltLatinFont()
          : this.fontOf(piece.face),
    }));
  }

  /** Whether some face has a glyph for every letter of the line (else the line shows .notdef boxes). */
  canDraw(text: string): boolean {
    return this.pieces(text).every((piece) => !piece.missing);
  }

  private pieces(text: string): Array<Omit<TextRun, 'font'>> {
    const clean = normalizeText(text);
    // Most lines hold only letters the Latin face surely has: one run, no per-character work; the
    // others are checked letter by letter.
    if (LATIN_FACE_COVERS.test(clean)) return [{ text: clean, face: 'latin' }];
    const chars = [...clean];
    if (
      !OTHER_SCRIPTS.test(clean) &&
      !DEVANAGARI.test(clean) &&
      chars.every((char) => this.has('latin', char.codePointAt(0)!))
    ) {
      return [{ text: clean, face: 'latin' }];
    }
    const pieces: Array<Omit<TextRun, 'font'>> = [];
    chars.forEach((char, index) => {
      const face = this.faceFor(char, chars, index);
      // No face has it: drawn as the Latin face's .notdef box.
      const missing = face === 'latin' && !this.has('latin', char.codePointAt(0)!) ? true : undefined;
      // Shaped Thai, Indic scripts and Devanagari: glyphs decomposed, reordered or joined, shared
      // between letters.
      const shaped = isShapedInOrder(face) || (face === 'latin' && DEVANAGARI_STRETCHES.test(char));
      const actualText = missing || shaped ? true : undefined;
      const last = pieces[pieces.length - 1];
      if (last && last.face === face && last.missing === missing && last.actualText === actualText) {
        last.text += char;
      } else {
        pieces.push({ face, text: char, ...(missing ? { missing } : {}), ...(actualText ? { actualText } : {}) });
      }
    });
    // Consecutive right-to-left runs read right to left as a whole.
    const ordered: typeof pieces = [];
    for (let i = 0; i < pieces.length; ) {
      if (!RTL_FACES.has(pieces[i]!.face)) {
        ordered.push(pieces[i]!);
        i += 1;
        continue;
      }
      let j = i;
      while (j < pieces.length && RTL_FACES.has(pieces[j]!.face)) j += 1;
      ordered.push(...pieces.slice(i, j).reverse());
      i = j;
    }
    return ordered;
  }

  /** Width in points; advances are cached per code point (no kerning outside shaped runs). */
  widthOf(text: string, size: number): number {
    let width = 0;
    for (const run of this.runs(text)) {
      if (isShaped(run.face, run.text)) {
        width += run.font.widthOfTextAtSize(run.text, 1);
        continue;
      }
      const font = loadFace(run.face);
      const advances = advancesOf(run.face);
      for (const char of run.text) {
        const code = char.codePointAt(0)!;
        let advance = advances.get(code);
        if (advance === undefined) {
          advance = font.glyphForCodePoint(code).advanceWidth / font.unitsPerEm;
          advances.set(code, advance);
        }
        width += advance;
      }
    }
    return width * size;
  }

  draw(page: PDFPage, text: string, options: DrawTextOptions): void {
    let x = options.x;
    for (const run of this.runs(text)) {
      // drawText({ font }) would add a new font resource to the page on every call: select the
      // font only when it changes, then draw with the page's current font.
      const current = page as unknown as { font?: PDFFont };
      if (current.font !== run.font) page.setFont(run.font);
      // The boxes all share glyph 0, shaped glyphs are reordered or shared between letters: the
      // font's ToUnicode map cannot spell them, /ActualText does for copy and extraction.
      const operators = contentOperators(page);
      const start = operators.length;
      page.drawText(run.text, { x, y: options.y, size: options.size, color: options.color });
      if (run.actualText) markActualText({ operators, start, doc: this.doc, text: run.text });
      x += this.widthOf(run.text, options.size);
    }
  }

  /**
   * A space or punctuation mark between two right-to-left letters stays in their run; so does a
   * joiner after a letter of a shaped Indic face.
   */
  private faceFor(char: string, chars: string[], index: number): FontFace {
    const code = char.codePointAt(0)!;
    const face = faceOfCodePoint(code);
    if (JOINERS.test(char) && index > 0) {
      const beforeFace = faceOfCodePoint(chars[index - 1]!.codePointAt(0)!);
      if (isShapedInOrder(beforeFace) && this.has(beforeFace, code)) return beforeFace;
    }
    if (face === 'latin' && /[\s\p{P}]/u.test(char)) {
      const before = chars[index - 1];
      const after = chars.slice(index + 1).find((c) => !/[\s\p{P}]/u.test(c));
      const beforeFace = before ? faceOfCodePoint(before.codePointAt(0)!) : 'latin';
      const afterFace = after ? faceOfCodePoint(after.codePointAt(0)!) : 'latin';
      if (beforeFace === afterFace && RTL_FACES.has(beforeFace) && this.has(beforeFace, code)) return beforeFace;
      return 'latin';
    }
    if (face !== 'latin' && !this.has(face, code)) {
      // Noto Sans JP covers Japanese usage: the commonest Chinese names (张伟, 陈静, 赵丽) need the
      // Simplified Chinese font, read only when such a letter appears.
      if (face === 'cjk' && this.has('hans', code)) return 'hans';
      return 'latin';
    }
    return face;
  }

  private has(face: FontFace, code: number): boolean {
    return loadFace(face).hasGlyphForCodePoint(code);
  }

  private prebuiltLatinFont(): PDFFont {
    this.prebuiltLatin ??= this.register(createPrebuiltLatinEmbedder({ font: loadFace('latin') }));
    return this.prebuiltLatin;
  }

  /** A font of this document, embedded when the document is saved. */
  private register(embedder: CustomFontEmbedder): PDFFont {
    const pdfFont = PDFFont.of(this.doc.context.nextRef(), this.doc, embedder);
    // doc.flush() embeds every font in this list (pdf-lib keeps it private).
    (this.doc as unknown as { fonts: PDFFont[] }).fonts.push(pdfFont);
    return pdfFont;
  }

  private fontOf(face: FontFace): PDFFont {
    const known = this.fonts.get(face);
    if (known) return known;
    const font = embedderFont(face, loadFace(face));
    // pdf-lib's own embedFont is async and parses the file again on every call; building the
    // embedder from the parsed font keeps drawing synchronous and the parse once per process.
    const Embedder = CustomFontSubsetEmbedder as unknown as new (
      font: FontkitFont,
      data: Uint8Array,
    ) => CustomFontSubsetEmbedder;
    const pdfFont = this.register(new Embedder(font, new Uint8Array(0)));
    this.fonts.set(face, pdfFont);
    return pdfFont;
  }
}

const fontsByDocument = new WeakMap<PDFDocument, DocumentFonts>();

export type GetDocumentFontsOptions = { doc: PDFDocument };

/** The one DocumentFonts of a document, so stamps and audit page share each embedded subset. */
export function getDocumentFonts(options: GetDocumentFontsOptions): DocumentFonts {
  let fonts = fontsByDocument.get(options.doc);
  if (!fonts) {
    fonts = new DocumentFonts(options.doc);
    fontsByDocument.set(options.doc, fonts);
  }
  return fonts;
}

/** NFC (precomposed letters have their own glyphs), with line breaks and tabs as spaces. */
export function normalizeText(text: string): string {
  return text.normalize('NFC').replace(/[\r\n\t\f\v]+/g, ' ');
}
