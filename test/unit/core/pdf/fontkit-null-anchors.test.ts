// fontkit throws on a NULL anchor of a mark-attachment subtable; skipNullAnchors makes the subtable
// not apply, as OpenType says. Checked on the font files that have such anchors (Gurmukhi, Telugu).
import { create as createFontkitFont } from 'fontkit';
import type { Font as FontkitFont } from 'fontkit';
import { describe, expect, it } from 'vitest';
import { readPackageFontFile } from '../../../../lambdas/adapters/node/package-font-files.ts';
import type { FontFace } from '../../../../lambdas/core/pdf/font-files.ts';
import { skipNullAnchors } from '../../../../lambdas/core/pdf/fontkit-null-anchors.ts';

const parse = (face: FontFace) => createFontkitFont(Buffer.from(readPackageFontFile(face))) as FontkitFont;
const shape = (font: FontkitFont, text: string, script: string) =>
  font.layout(text, undefined, script).glyphs.map((glyph) => String.fromCodePoint(...glyph.codePoints));

describe('skipNullAnchors', () => {
  it('is needed: fontkit alone throws on the NULL anchors of Noto Sans Gurmukhi', () => {
    const font = parse('gurmukhi');

    expect(() => shape(font, 'ਪ੍ਰੀ', 'gur2')).toThrow(TypeError);
  });

  it('shapes Gurmukhi and Telugu conjuncts with their below-base ra', () => {
    const gurmukhi = parse('gurmukhi');
    const telugu = parse('telugu');
    skipNullAnchors({ font: gurmukhi });
    skipNullAnchors({ font: telugu });

    expect(shape(gurmukhi, 'ਪ੍ਰੀ', 'gur2')).toEqual(['ਪ', '੍ਰ', 'ੀ']);
    expect(shape(telugu, 'శ్రీ', 'tel2')).toEqual(['శీ', '్ర']);
  });
});
