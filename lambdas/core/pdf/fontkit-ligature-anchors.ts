// fontkit 2 attaches a mark to a ligature (GPOS lookup type 5) at the component its code points
// count gives, not at one of the components the ligature's anchors list: a ligature drawing more
// letters than it has anchor components (Noto Sans Khmer's ្យោ, under a ៑: ឈ្យោ៑) is read past
// its last component, and fontkit throws. HarfBuzz takes the mark's own component when it belongs
// to the ligature, else the last one, within the count listed: each parsed font's positioning
// processor is given that reading of type 5, on its first shaping.
import type { Font as FontkitFont } from 'fontkit';
import { layoutProcessorsOf } from './fontkit-layout-engine.ts';

type Anchor = unknown;
type MarkRecord = { class: number; markAnchor?: Anchor | null };
type LigatureSubtable = {
  markCoverage: unknown;
  ligatureCoverage: unknown;
  markArray: MarkRecord[];
  ligatureArray: Array<Array<Array<Anchor | null>>>;
};
type GlyphInfo = { id: number; isMark: boolean; ligatureID?: number; ligatureComponent?: number };

/** fontkit's GPOS processor (not exported: reached through the font's layout engine). */
type GposProcessor = {
  glyphs: GlyphInfo[];
  glyphIterator: { index: number; cur: GlyphInfo };
  coverageIndex(coverage: unknown, glyph?: number): number;
  applyLookup(lookupType: number, table: unknown): boolean;
  applyAnchor(markRecord: MarkRecord, baseAnchor: Anchor, baseGlyphIndex: number): void;
};

const MARK_TO_LIGATURE = 5;

/** Lookup type 5 as HarfBuzz applies it (hb-ot-layout-gpos-table: MarkLigPosFormat1). */
function attachMarkToLigature(gpos: GposProcessor, table: LigatureSubtable): boolean {
  const markIndex = gpos.coverageIndex(table.markCoverage);
  if (markIndex === -1) return false;
  let ligatureIndex = gpos.glyphIterator.index;
  while (--ligatureIndex >= 0 && gpos.glyphs[ligatureIndex]!.isMark);
  if (ligatureIndex < 0) return false;
  const ligature = gpos.glyphs[ligatureIndex]!;
  const coverage = gpos.coverageIndex(table.ligatureCoverage, ligature.id);
  if (coverage === -1) return false;
  const components = table.ligatureArray[coverage];
  if (!components || components.length === 0) return false;
  const mark = gpos.glyphIterator.cur;
  const ownComponent =
    ligature.ligatureID && ligature.ligatureID === mark.ligatureID && (mark.ligatureComponent ?? 0) > 0
      ? mark.ligatureComponent!
      : components.length;
  const markRecord = table.markArray[markIndex];
  const anchor = components[Math.min(ownComponent, components.length) - 1]?.[markRecord?.class ?? -1];
  // A NULL anchor: the subtable does not apply to this pair (as in fontkit-null-anchors.ts).
  if (!markRecord?.markAnchor || !anchor) return false;
  gpos.applyAnchor(markRecord, anchor, ligatureIndex);
  return true;
}

export type AttachMarksWithinLigaturesOptions = { font: FontkitFont };

/** Makes this font's mark-to-ligature attachments pick a component the ligature has (once per font: fixFontkitShaping). */
export function attachMarksWithinLigatures(options: AttachMarksWithinLigaturesOptions): void {
  const gpos = layoutProcessorsOf<GposProcessor>(options.font).GPOSProcessor;
  if (!gpos) return;
  const { applyLookup } = gpos;
  gpos.applyLookup = function applyLookupWithinLigatures(lookupType, table) {
    if (lookupType === MARK_TO_LIGATURE) return attachMarkToLigature(this, table as LigatureSubtable);
    return applyLookup.call(this, lookupType, table);
  };
}
