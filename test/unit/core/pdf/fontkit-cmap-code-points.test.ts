// fontkit caches one Glyph per id with the code points of the first text that produced it, and its
// Indic shaper splits Khmer's two-part vowels by those cached code points: after ើ, every ី came
// out with a stray េ. keepCmapCodePoints makes a cmap lookup carry the code point looked up.
import { create as createFontkitFont } from 'fontkit';
import type { Font as FontkitFont } from 'fontkit';
import { describe, expect, it } from 'vitest';
import { readPackageFontFile } from '../../../../lambdas/adapters/node/package-font-files.ts';
import { keepCmapCodePoints } from '../../../../lambdas/core/pdf/fontkit-cmap-code-points.ts';

const parseKhmer = () => createFontkitFont(Buffer.from(readPackageFontFile('khmer'))) as FontkitFont;
const glyphNames = (font: FontkitFont, text: string) => font.layout(text, undefined, 'khmr').glyphs.map((g) => g.name);

describe('keepCmapCodePoints', () => {
  it('is needed: fontkit alone draws a stray េ before ស្រី once it has shaped a ើ', () => {
    const font = parseKhmer();
    glyphNames(font, 'កើត');

    expect(glyphNames(font, 'ស្រី')).toEqual(['uni17C1', 'uni17D2179A', 'uni179F', 'uni17B8']);
  });

  it('shapes ស្រី the same before and after a ើ: coeng ro, ស, ី', () => {
    const font = parseKhmer();
    keepCmapCodePoints({ font });
    const before = glyphNames(font, 'ស្រី');
    glyphNames(font, 'កើត');

    expect(glyphNames(font, 'ស្រី')).toEqual(['uni17D2179A', 'uni179F', 'uni17B8']);
    expect(before).toEqual(['uni17D2179A', 'uni179F', 'uni17B8']);
    expect(glyphNames(font, 'កើត')).toEqual(['uni17C1', 'uni1780', 'uni17B8', 'uni178F']);
  });

  it('gives a code point its own glyph whatever the cache holds', () => {
    const font = parseKhmer();
    keepCmapCodePoints({ font });
    glyphNames(font, 'កើត');

    expect(font.glyphForCodePoint(0x17b8).codePoints).toEqual([0x17b8]);
    expect(font.glyphForCodePoint(0x17b8).id).toBe(font.glyphForCodePoint(0x17b8).id);
  });
});
