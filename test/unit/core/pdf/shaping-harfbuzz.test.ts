// The glyphs the PDF engine draws for Khmer and Thaana names are HarfBuzz's (hb-shape), glyph for
// glyph in drawing order: the engine's own layout of each run (fontkit's shaper with the fixes of
// fontkit-fixes.ts for Khmer, the cmap in visual order for Thaana) against the reference shaper.
import type { Font as FontkitFont } from 'fontkit';
import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { readPackageFontFile } from '../../../../lambdas/adapters/node/package-font-files.ts';
import type { FontFace } from '../../../../lambdas/core/pdf/font-files.ts';
import { getDocumentFonts } from '../../../../lambdas/core/pdf/unicode-fonts.ts';
import { harfBuzzGlyphIds } from '../../../support/harfbuzz-shape.ts';
import { requireTool } from '../../../support/require-tool.ts';

/** The glyph ids the engine lays out for a one-face text (read from the font its run embeds). */
async function engineGlyphIds(face: FontFace, texts: string[]): Promise<number[][]> {
  const fonts = getDocumentFonts({ doc: await PDFDocument.create() });
  return texts.map((text) => {
    const runs = fonts.runs(text);
    expect(runs.map((run) => run.face)).toEqual([face]);
    const { embedder } = runs[0]!.font as unknown as { embedder: { font: FontkitFont } };
    return embedder.font.layout(text).glyphs.map((glyph) => glyph.id);
  });
}

// Names and words: coeng subscripts (ស្រី, ក្សត្រ, two stacked in ស្ត្រី), pre-base and two-part
// vowels (េ, ែ, ើ, ៀ, ឿ, ោ, ៅ), register shifters (៊, ៉), nikahit and reahmuk (ំ, ះ), robat (ធម៌),
// ligatures (ណ្ណ, ប្ផ); ើ comes early, so every later ី is shaped after it.
const KHMER = [
  'កើត',
  'ស្រី',
  'សុខ',
  'ចាន់',
  'សំណាង',
  'ព្រះ',
  'ស្រ្តី',
  'ស្ត្រី',
  'ក្សត្រ',
  'ស្រីពៅ',
  'នី',
  'វណ្ណៈ',
  'ដារ៉ា',
  'សុភា',
  'ចន្ទ',
  'រស្មី',
  'ស្រីមុំ',
  'ពិសិដ្ឋ',
  'វិចិត្រ',
  'បូរ៉ា',
  'មុន្នី',
  'ប៊ុនថន',
  'ង៉ែត',
  'ទេព',
  'ហ៊ាង',
  'នួន',
  'កែវ',
  'ពេជ្រ',
  'ឧត្តម',
  'អង្គារ',
  'ផល្លា',
  'ណារិទ្ធ',
  'ម៉ាលី',
  'ច័ន្ទ',
  'ស៊ីថា',
  'ញឹម',
  'ឈឿន',
  'ឡេង',
  'គឹមស្រ៊ុន',
  'ក្រុមហ៊ុន',
  'ស្រួ',
  'ព្រហ្ម',
  'ធម៌',
  'សួគ៌',
  'ខៀវ',
  'សៅ',
  'បុប្ផា',
  'នរោត្តម',
  'ហត្ថលេខា',
  'កិច្ចសន្យា',
];

const THAANA = ['މުހައްމަދު', 'އާމިނަތު', 'އަހުމަދު', 'ފާތިމަތު', 'ޢާއިޝާ', 'ހަސަން', 'މަރިޔަމް', 'އިބްރާހީމް', 'ޢަލީ'];

describe.runIf(requireTool('hb-shape'))('the engine against HarfBuzz', () => {
  it('draws HarfBuzz glyphs for Khmer names, in its order', async () => {
    const reference = harfBuzzGlyphIds({ woff: readPackageFontFile('khmer'), texts: KHMER });

    const drawn = await engineGlyphIds('khmer', KHMER);

    KHMER.forEach((text, i) => {
      expect(drawn[i], text).toEqual(reference[i]);
    });
  });

  it('draws HarfBuzz glyphs for Thaana names, right to left', async () => {
    const reference = harfBuzzGlyphIds({ woff: readPackageFontFile('thaana'), texts: THAANA });

    const drawn = await engineGlyphIds('thaana', THAANA);

    THAANA.forEach((text, i) => {
      expect(drawn[i], text).toEqual(reference[i]);
    });
  });
});
