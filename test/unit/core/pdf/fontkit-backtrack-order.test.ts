// fontkit matches a chaining context's backtrack glyphs farthest first; OpenType stores them nearest
// first. readBacktrackNearestFirst reverses them: Noto Sans Khmer's below-vowel form after a
// consonant with its coeng ro (a rule with two backtrack glyphs) then applies, as in HarfBuzz.
import { create as createFontkitFont } from 'fontkit';
import type { Font as FontkitFont } from 'fontkit';
import { describe, expect, it } from 'vitest';
import { readPackageFontFile } from '../../../../lambdas/adapters/node/package-font-files.ts';
import { readBacktrackNearestFirst } from '../../../../lambdas/core/pdf/fontkit-backtrack-order.ts';

const parseKhmer = () => createFontkitFont(Buffer.from(readPackageFontFile('khmer'))) as FontkitFont;
const glyphNames = (font: FontkitFont, text: string) => font.layout(text, undefined, 'khmr').glyphs.map((g) => g.name);

describe('readBacktrackNearestFirst', () => {
  it('is needed: fontkit alone keeps the plain ុ under ក្រ (ក្រុមហ៊ុន)', () => {
    const font = parseKhmer();

    expect(glyphNames(font, 'ក្រុ')).toEqual(['uni17D2179A', 'uni1780', 'uni17BB']);
  });

  it('applies the rule with two backtrack glyphs: ុ and ួ after a consonant with its coeng ro', () => {
    const font = parseKhmer();
    glyphNames(font, 'ក');
    readBacktrackNearestFirst({ font });

    expect(glyphNames(font, 'ក្រុ')).toEqual(['uni17D2179A', 'uni1780', 'uni17BB.b']);
    expect(glyphNames(font, 'ស្រួ')).toEqual(['uni17D2179A', 'uni179F', 'uni17BD.b']);
  });

  it('leaves a one-glyph backtrack as it was: ុ without coeng ro stays plain', () => {
    const font = parseKhmer();
    glyphNames(font, 'ក');
    readBacktrackNearestFirst({ font });

    expect(glyphNames(font, 'សុខ')).toEqual(['uni179F', 'uni17BB', 'uni1781']);
  });
});
