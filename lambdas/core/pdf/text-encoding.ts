// Line wrapping for text drawn with the document's Unicode fonts (unicode-fonts.ts): words stay
// whole when they fit, and a word wider than the line (an e-mail address, a long reference) is
// cut after "@", ".", "-", "_" or "/" when it can be, never inside a letter's combining sequence.
import type { DocumentFonts } from './unicode-fonts.ts';
import { normalizeText } from './unicode-fonts.ts';

export type WrapTextOptions = { text: string; fonts: DocumentFonts; size: number; maxWidth: number };

const BREAK_AFTER = /[@._\-/]/;

/** Splits text into lines that fit maxWidth, breaking long words when they alone do not fit. */
export function wrapText(options: WrapTextOptions): string[] {
  const { fonts, size, maxWidth } = options;
  const width = (s: string) => fonts.widthOf(s, size);
  const space = width(' ');
  const lines: string[] = [];
  let line = '';
  let lineWidth = 0;
  // Widths add up word by word (the layout has no kerning across a space), so a long paragraph
  // is measured once rather than once per candidate line.
  for (const word of normalizeText(options.text).split(' ')) {
    const wordWidth = width(word);
    const candidateWidth = line ? lineWidth + space + wordWidth : wordWidth;
    if (candidateWidth <= maxWidth) {
      line = line ? `${line} ${word}` : word;
      lineWidth = candidateWidth;
      continue;
    }
    if (line) lines.push(line);
    let rest = word;
    while (rest.length > 1 && width(rest) > maxWidth) {
      const head = fittingHead(rest, width, maxWidth);
      lines.push(head);
      rest = rest.slice(head.length);
    }
    line = rest;
    lineWidth = width(rest);
  }
  if (line) lines.push(line);
  return lines.length > 0 ? lines : [''];
}

function fittingHead(word: string, width: (s: string) => number, maxWidth: number): string {
  const graphemes = [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(word)].map((s) => s.segment);
  let count = graphemes.length - 1;
  while (count > 1 && width(graphemes.slice(0, count).join('')) > maxWidth) count -= 1;
  // Prefer the last natural break point in the part that fits, if it keeps at least a third.
  for (let i = count; i > Math.max(1, count / 3); i -= 1) {
    if (BREAK_AFTER.test(graphemes[i - 1]!)) return graphemes.slice(0, i).join('');
  }
  return graphemes.slice(0, Math.max(1, count)).join('');
}
