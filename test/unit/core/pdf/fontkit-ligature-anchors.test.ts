// fontkit attaches a mark to the component of a ligature its code points count gives, past the
// anchors the ligature has, and throws; attachMarksWithinLigatures keeps to the components listed,
// as HarfBuzz does. Noto Sans Khmer's ្យោ ligature under a ៑ is such a case.
import { create as createFontkitFont } from 'fontkit';
import type { Font as FontkitFont } from 'fontkit';
import { describe, expect, it } from 'vitest';
import { readPackageFontFile } from '../../../../lambdas/adapters/node/package-font-files.ts';
import { attachMarksWithinLigatures } from '../../../../lambdas/core/pdf/fontkit-ligature-anchors.ts';

const parseKhmer = () => createFontkitFont(Buffer.from(readPackageFontFile('khmer'))) as FontkitFont;
const layout = (font: FontkitFont, text: string) => font.layout(text, undefined, 'khmr');

describe('attachMarksWithinLigatures', () => {
  it('is needed: fontkit alone throws on a mark over the ligature ្យោ', () => {
    const font = parseKhmer();

    expect(() => layout(font, 'ឈ្យោ៑')).toThrow(TypeError);
  });

  it('attaches the mark to the ligature, moved onto its last component', () => {
    const font = parseKhmer();
    layout(font, 'ក');
    attachMarksWithinLigatures({ font });

    const { glyphs, positions } = layout(font, 'ឈ្យោ៑');

    expect(glyphs.map((g) => String.fromCodePoint(...g.codePoints))).toEqual(['េ', 'ឈ', '្យោ', '៑']);
    // Where HarfBuzz puts the mark (hb-shape: 153@43,-19).
    expect([positions[3]!.xOffset, positions[3]!.yOffset]).toEqual([43, -19]);
  });
});
