// Which font face draws which letters, and how each script is laid out: the one table of code
// point ranges per face (faceOfCodePoint and the quick tests of a line both read it), the scripts
// fontkit shapes, and the ranges the Latin face draws without a per-letter check. No font is read
// here: unicode-fonts.ts loads, measures and draws.
import type { FontFace } from './font-files.ts';

/**
 * The code points each non-Latin face draws (one table: faceOfCodePoint and the quick test of a
 * line both read it). Half-width Hangul (FFA0–FFDC) sits inside the full-width forms and goes to
 * the Korean face, so it is listed before them.
 */
const FACE_RANGES: ReadonlyArray<readonly [FontFace, number, number]> = [
  ['arabic', 0x0600, 0x06ff],
  ['arabic', 0x0750, 0x077f],
  ['arabic', 0x08a0, 0x08ff],
  ['arabic', 0xfb50, 0xfdff],
  ['arabic', 0xfe70, 0xfeff],
  ['hebrew', 0x0590, 0x05ff],
  ['hebrew', 0xfb1d, 0xfb4f],
  ['thai', 0x0e00, 0x0e7f],
  ['bengali', 0x0980, 0x09ff],
  ['tamil', 0x0b80, 0x0bff],
  ['gurmukhi', 0x0a00, 0x0a7f],
  ['gujarati', 0x0a80, 0x0aff],
  ['telugu', 0x0c00, 0x0c7f],
  ['kannada', 0x0c80, 0x0cff],
  ['malayalam', 0x0d00, 0x0d7f],
  // Sinhala and its archaic numbers.
  ['sinhala', 0x0d80, 0x0dff],
  ['sinhala', 0x111e0, 0x111ff],
  // Khmer and Khmer Symbols.
  ['khmer', 0x1780, 0x17ff],
  ['khmer', 0x19e0, 0x19ff],
  // Thaana (Dhivehi), right to left.
  ['thaana', 0x0780, 0x07bf],
  // Ethiopic and its Supplement, Extended, Extended-A and Extended-B.
  ['ethiopic', 0x1200, 0x139f],
  ['ethiopic', 0x2d80, 0x2ddf],
  ['ethiopic', 0xab00, 0xab2f],
  ['ethiopic', 0x1e7e0, 0x1e7ff],
  ['armenian', 0x0530, 0x058f],
  ['armenian', 0xfb13, 0xfb17],
  // Georgian: Mkhedruli and Asomtavruli, Mtavruli, Nuskhuri.
  ['georgian', 0x10a0, 0x10ff],
  ['georgian', 0x1c90, 0x1cbf],
  ['georgian', 0x2d00, 0x2d2f],
  // Hangul: Jamo, Compatibility Jamo, Jamo Extended-A, Syllables, Jamo Extended-B, half-width.
  ['korean', 0x1100, 0x11ff],
  ['korean', 0x3130, 0x318f],
  ['korean', 0xa960, 0xa97f],
  ['korean', 0xac00, 0xd7af],
  ['korean', 0xd7b0, 0xd7ff],
  ['korean', 0xffa0, 0xffdc],
  ['cjk', 0x2e80, 0x2fdf],
  ['cjk', 0x3000, 0x30ff],
  ['cjk', 0x31f0, 0x31ff],
  ['cjk', 0x3400, 0x4dbf],
  ['cjk', 0x4e00, 0x9fff],
  ['cjk', 0xf900, 0xfaff],
  ['cjk', 0xff00, 0xffef],
  ['cjk', 0x20000, 0x2fa1f],
];

/** Which face draws a code point, before checking that the font really has the glyph. */
export function faceOfCodePoint(code: number): FontFace {
  for (const [face, from, to] of FACE_RANGES) if (code >= from && code <= to) return face;
  return 'latin';
}

/**
 * Faces drawn right to left. Hebrew's points and Thaana's vowel signs (fili) are drawn from the
 * cmap, each before (left of) its letter, with no advance: HarfBuzz shapes them to the same glyphs
 * (Noto Sans Thaana has no substitutions). HarfBuzz's GPOS then moves each sign sideways onto its
 * letter's anchor (0.07 to 0.33 em on the sample names): pdf-lib draws glyphs at their advances,
 * for every face, so the signs sit where the font draws them by default, over their letter.
 */
export const RTL_FACES: ReadonlySet<FontFace> = new Set(['arabic', 'hebrew', 'thaana']);
const hex = (code: number) => `\\u{${code.toString(16)}}`;
/** Any code point faceOfCodePoint does not give to the Latin face. */
export const OTHER_SCRIPTS = new RegExp(
  `[${FACE_RANGES.map(([, from, to]) => `${hex(from)}-${hex(to)}`).join('')}]`,
  'u',
);

/**
 * Devanagari is in the Latin face's file (Noto Sans) but needs shaping: conjuncts, the i-matra
 * drawn before its consonant, reph. Joiners stay inside a Devanagari stretch (they pick forms).
 */
export const DEVANAGARI = /[\u0900-\u097f\ua8e0-\ua8ff\u1cd0-\u1cff]/u;
export const DEVANAGARI_STRETCHES = /([\u0900-\u097f\ua8e0-\ua8ff\u1cd0-\u1cff\u200c\u200d]+)/u;

/**
 * The faces whose runs fontkit shapes, with the OpenType script it shapes them as: the fonts carry
 * only the second-generation Indic tables (bng2, tml2, gjr2...), under which the vowel signs are
 * reordered (Malayalam's font has the first-generation mlym too, which puts them wrong); Sinhala
 * and Khmer have one generation. fontkit's glyphs for these were checked against HarfBuzz's on
 * sample names; Khmer's match them only with the corrections of fontkit-fixes.ts (else a stray
 * េ before ស្រី's ី once a ើ was shaped), on 50 names and words (shaping-harfbuzz.test.ts). On
 * random well-formed syllables the differences left are rare: a robat ៌ after a vowel (HarfBuzz
 * calls it a broken cluster and adds a dotted circle), ំ after េ, and the deeper descender of ៀ
 * and ឿ under two stacked subscripts. Myanmar is not here: fontkit has no Myanmar shaper, so ေ
 * and ြ are not put before their consonant (အောင်, မြင့်): its letters stay boxes.
 */
export const SHAPER_SCRIPTS = {
  arabic: 'arab',
  thai: 'thai',
  bengali: 'bng2',
  tamil: 'tml2',
  gujarati: 'gjr2',
  gurmukhi: 'gur2',
  telugu: 'tel2',
  kannada: 'knd2',
  malayalam: 'mlm2',
  sinhala: 'sinh',
  khmer: 'khmr',
} as const;

/** Faces fontkit shapes in logical order (all but Arabic, shaped right to left as a whole run). */
export function isShapedInOrder(face: FontFace): boolean {
  return face in SHAPER_SCRIPTS && face !== 'arabic';
}

/**
 * Zero-width (non-)joiners choose conjunct forms (Sinhala's ශ්‍රී, ක්‍ෂ): after a letter of a shaped
 * Indic face they stay in its run rather than splitting it.
 */
export const JOINERS = /^[\u200c\u200d]$/u;

/**
 * Lines wholly within ranges the Latin face's font draws entirely (printable ASCII, Latin-1 and
 * Latin Extended-A/B, Greek without the Coptic letters, Cyrillic, Vietnamese, general punctuation,
 * the euro sign): one run, no per-letter glyph check. French names, dates with an em dash and the
 * audit page's lines all take this path. test/unit/core/pdf/script-faces.test.ts checks the
 * font against it.
 */
export const LATIN_FACE_COVERS =
  /^[\u0020-\u007e\u00a0-\u024f\u0370-\u03e1\u03f0-\u04ff\u1e00-\u1eff\u2010-\u2027\u2030-\u205e\u20ac]*$/u;
