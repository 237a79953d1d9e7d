// fontkit 2 keeps one Glyph object per glyph id, with the code points of the first text that
// produced it, and starts every layout from those cached code points rather than the text's. Its
// Indic shaper splits Khmer's two-part vowels by code point (ើ U+17BE into េ U+17C1 and a part that
// keeps U+17BE); Noto Sans Khmer draws that part with ី's glyph, which is then cached as U+17BE, so
// every later ី (ស្រី, នី) is split again: a stray េ drawn before its consonant. HarfBuzz starts
// from the text. Each shaped font's cmap lookup is made to return a glyph carrying the code point
// looked up (a fresh Glyph of the same id where the cached one says otherwise).
import type { Font as FontkitFont, Glyph } from 'fontkit';

type GlyphClass = new (id: number, codePoints: number[], font: FontkitFont) => Glyph;

export type KeepCmapCodePointsOptions = { font: FontkitFont };

/** Makes this font's glyph for a code point carry that code point, whatever text was shaped before (once per font: fixFontkitShaping). */
export function keepCmapCodePoints(options: KeepCmapCodePointsOptions): void {
  const { font } = options;
  const lookup = font.glyphForCodePoint.bind(font);
  font.glyphForCodePoint = function glyphCarryingCodePoint(codePoint: number): Glyph {
    const glyph = lookup(codePoint);
    if (glyph.codePoints.length === 1 && glyph.codePoints[0] === codePoint) return glyph;
    return new (glyph.constructor as GlyphClass)(glyph.id, [codePoint], font);
  };
}
