// The corrections made to fontkit 2's shaping before a font shapes its first run (each module says
// what fontkit does wrong and what HarfBuzz does): every face shaped as one script (SHAPER_SCRIPTS,
// unicode-fonts.ts) gets all of them. The Latin face's Devanagari stretches are shaped without.
import type { Font as FontkitFont } from 'fontkit';
import { readBacktrackNearestFirst } from './fontkit-backtrack-order.ts';
import { keepCmapCodePoints } from './fontkit-cmap-code-points.ts';
import { attachMarksWithinLigatures } from './fontkit-ligature-anchors.ts';
import { skipNullAnchors } from './fontkit-null-anchors.ts';

export type FixFontkitShapingOptions = { font: FontkitFont };

/** Fonts already corrected: this runs before every shaped run, each correction once per font. */
const corrected = new WeakSet<FontkitFont>();

export function fixFontkitShaping(options: FixFontkitShapingOptions): void {
  const { font } = options;
  if (corrected.has(font)) return;
  corrected.add(font);
  skipNullAnchors({ font });
  keepCmapCodePoints({ font });
  readBacktrackNearestFirst({ font });
  attachMarksWithinLigatures({ font });
}
