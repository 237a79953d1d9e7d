// fontkit 2 reads a NULL anchor of a mark-attachment subtable (a base or mark that takes no mark of
// that class) as if it were one, and throws; per OpenType (and HarfBuzz) that subtable does not
// apply to the pair and the next one is tried. Noto Sans Gurmukhi and Telugu have such anchors
// (ਪ੍ਰੀ, ਸਿੰ, శ్రీ): each parsed font's positioning processor is given that reading, on its first shaping.
import type { Font as FontkitFont } from 'fontkit';
import { layoutProcessorsOf } from './fontkit-layout-engine.ts';

type AnchorRecord = { markAnchor?: unknown };

/** fontkit's GPOS processor (not exported: reached through the font's layout engine). */
type GposProcessor = {
  applyLookup(lookupType: number, table: unknown): boolean;
  applyAnchor(markRecord: AnchorRecord, baseAnchor: unknown, baseGlyphIndex: number): void;
};

/** Thrown from applyAnchor, caught by the applyLookup of the same subtable (one instance: no stack to build). */
const NO_ANCHOR = new Error('NULL anchor: the subtable does not apply');

export type SkipNullAnchorsOptions = { font: FontkitFont };

/** Makes a mark attachment with a NULL anchor not apply (instead of throwing) in this font's shaping (once per font: fixFontkitShaping). */
export function skipNullAnchors(options: SkipNullAnchorsOptions): void {
  const gpos = layoutProcessorsOf<GposProcessor>(options.font).GPOSProcessor;
  if (!gpos) return;
  const { applyAnchor, applyLookup } = gpos;
  gpos.applyAnchor = function applyPresentAnchor(markRecord, baseAnchor, baseGlyphIndex) {
    if (!baseAnchor || !markRecord.markAnchor) throw NO_ANCHOR;
    applyAnchor.call(this, markRecord, baseAnchor, baseGlyphIndex);
  };
  gpos.applyLookup = function applyLookupOrSkip(lookupType, table) {
    try {
      return applyLookup.call(this, lookupType, table);
    } catch (error) {
      if (error === NO_ANCHOR) return false;
      throw error;
    }
  };
}
