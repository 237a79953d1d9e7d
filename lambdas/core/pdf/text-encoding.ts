// The standard 14 fonts only encode WinAnsi: names and user agents can hold any Unicode, so text
// is reduced to what the font can show (accents kept where WinAnsi has them) instead of failing.
import type { PDFFont } from 'pdf-lib';

export type ToDrawableTextOptions = { text: string; font: PDFFont };

// Latin letters with no Unicode decomposition to a WinAnsi base letter.
const FALLBACKS: Record<string, string> = {
  Ł: 'L',
  ł: 'l',
  Ø: 'O',
  ø: 'o',
  Đ: 'D',
  đ: 'd',
  Ħ: 'H',
  ħ: 'h',
  ı: 'i',
  Ŧ: 'T',
  ŧ: 't',
  '\u2019': "'",
};

const supportedByFont = new WeakMap<PDFFont, Set<number>>();

function supported(font: PDFFont): Set<number> {
  let set = supportedByFont.get(font);
  if (!set) {
    set = new Set(font.getCharacterSet());
    supportedByFont.set(font, set);
  }
  return set;
}

export function toDrawableText(options: ToDrawableTextOptions): string {
  const set = supported(options.font);
  let out = '';
  for (const char of options.text.normalize('NFC').replace(/[\r\n\t]+/g, ' ')) {
    const code = char.codePointAt(0)!;
    if (set.has(code)) {
      out += char;
      continue;
    }
    const fallback = FALLBACKS[char];
    if (fallback) {
      out += fallback;
      continue;
    }
    const base = char.normalize('NFD').replace(/\p{M}/gu, '');
    out += [...base].every((c) => set.has(c.codePointAt(0)!)) && base.length > 0 ? base : '?';
  }
  return out;
}

export type WrapTextOptions = { text: string; font: PDFFont; size: number; maxWidth: number };

/** Splits text into lines that fit maxWidth, breaking long words when they alone do not fit. */
export function wrapText(options: WrapTextOptions): string[] {
  const { font, size, maxWidth } = options;
  const text = toDrawableText({ text: options.text, font });
  const width = (s: string) => font.widthOfTextAtSize(s, size);
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const candidate = line ? `${line} ${word}` : word;
    if (width(candidate) <= maxWidth) {
      line = candidate;
      continue;
    }
    if (line) lines.push(line);
    let rest = word;
    while (width(rest) > maxWidth && rest.length > 1) {
      let cut = rest.length - 1;
      while (cut > 1 && width(rest.slice(0, cut)) > maxWidth) cut -= 1;
      lines.push(rest.slice(0, cut));
      rest = rest.slice(cut);
    }
    line = rest;
  }
  if (line) lines.push(line);
  return lines.length > 0 ? lines : [''];
}
