// What independent tools see of the text in a PDF: poppler's pdftotext and pdffonts, and mupdf's
// trace device, which names the glyph drawn for every character (glyph 0 is .notdef: a box).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function withPdfFile<T>(pdf: Uint8Array, work: (file: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'mailsign-text-'));
  try {
    const file = join(dir, 'doc.pdf');
    writeFileSync(file, pdf);
    return work(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function run(command: string, args: string[]): string {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`${command}: ${result.stderr}`);
  return result.stdout;
}

export type PageRange = { first?: number; last?: number };

/** The text pdftotext extracts, without poppler's right-to-left embedding controls. */
export function extractText(pdf: Uint8Array, range: PageRange = {}): string {
  const pages = range.first ? ['-f', String(range.first), '-l', String(range.last ?? range.first)] : [];
  return withPdfFile(pdf, (file) => run('pdftotext', [...pages, file, '-'])).replace(
    /[\u202a-\u202e\u200e\u200f]/g,
    '',
  );
}

/** pdffonts' table of the fonts the PDF uses. */
export function listFonts(pdf: Uint8Array): string {
  return withPdfFile(pdf, (file) => run('pdffonts', [file]));
}

export type DrawnGlyph = { unicode: string; glyph: string };

/** Pages for mupdf, 1-based and inclusive; 'N' is the last page. */
export type GlyphPages = { first: number; last: number | 'N' };

/** Every glyph mupdf draws on the given pages (1-based, inclusive), with the text it stands for. */
export function drawnGlyphs(pdf: Uint8Array, range: GlyphPages = { first: 1, last: 'N' }): DrawnGlyph[] {
  const trace = withPdfFile(pdf, (file) =>
    run('mutool', ['draw', '-F', 'trace', '-o', '-', file, `${range.first}-${range.last}`]),
  );
  return [...trace.matchAll(/<g unicode="([^"]*)" glyph="([^"]*)"/g)].map((m) => ({
    unicode: m[1]!,
    glyph: m[2]!,
  }));
}

/** The characters of the pages drawn as .notdef (glyph 0 of an embedded CID font). */
export function notdefCount(pdf: Uint8Array, range?: GlyphPages): number {
  return drawnGlyphs(pdf, range).filter((g) => g.glyph === '0' || g.glyph === '.notdef').length;
}
