// fontkit 2 matches a chaining contextual rule's backtrack sequence in the order it is stored, from
// the farthest glyph forward; OpenType stores it nearest glyph first (HarfBuzz reads it backwards).
// A one-glyph backtrack reads the same either way; a longer one matches the wrong glyphs: Noto Sans
// Khmer's below-vowel form after a consonant with its coeng ro (ក្រុ, ស្រួ: ្រ, consonant, then ុ)
// never applied. Each parsed font's substitution and positioning processors are given the stored
// sequences reversed, once per subtable.
import type { Font as FontkitFont } from 'fontkit';
import { layoutProcessorsOf } from './fontkit-layout-engine.ts';

type Rule = { backtrack: unknown[] };
type ChainingSubtable = {
  version: number;
  chainRuleSets?: Array<Rule[] | null>;
  chainClassSet?: Array<Rule[] | null>;
  backtrackCoverage?: unknown[];
};

/** fontkit's GSUB and GPOS processors (not exported: reached through the font's layout engine). */
type OpenTypeProcessor = { applyChainingContext(table: ChainingSubtable): boolean };

const nearestLast = new WeakMap<ChainingSubtable, ChainingSubtable>();

const reversedRules = (rules: Rule[] | null) =>
  rules?.map((rule) => ({ ...rule, backtrack: [...rule.backtrack].reverse() })) ?? null;

/** The subtable with each backtrack sequence in the order fontkit matches it (farthest first). */
function inMatchingOrder(table: ChainingSubtable): ChainingSubtable {
  let copy = nearestLast.get(table);
  if (!copy) {
    copy = { ...table };
    Object.setPrototypeOf(copy, Object.getPrototypeOf(table));
    if (table.backtrackCoverage) copy.backtrackCoverage = [...table.backtrackCoverage].reverse();
    if (table.chainRuleSets) copy.chainRuleSets = table.chainRuleSets.map(reversedRules);
    if (table.chainClassSet) copy.chainClassSet = table.chainClassSet.map(reversedRules);
    nearestLast.set(table, copy);
  }
  return copy;
}

export type ReadBacktrackNearestFirstOptions = { font: FontkitFont };

/** Makes this font's chaining contextual lookups read backtrack sequences as OpenType stores them (once per font: fixFontkitShaping). */
export function readBacktrackNearestFirst(options: ReadBacktrackNearestFirstOptions): void {
  const { GSUBProcessor, GPOSProcessor } = layoutProcessorsOf<OpenTypeProcessor>(options.font);
  for (const processor of [GSUBProcessor, GPOSProcessor]) {
    if (!processor) continue;
    const { applyChainingContext } = processor;
    processor.applyChainingContext = function applyChainingContextNearestFirst(table) {
      return applyChainingContext.call(this, inMatchingOrder(table));
    };
  }
}
