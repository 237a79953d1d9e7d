// What independent tools see of the text in a PDF: poppler's pdftotext and pdffonts, and mupdf's
// trace device, which names the glyph drawn for every character (glyph 0 is .notdef: a box), and
// the embedded TrueType subsets themselves (a glyph whose outline went missing draws nothing).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { create as createFontkitFont } from 'fontkit';
import type { Font as FontkitFont } from 'fontkit';
import { decodePDFRawStream, type PDFArray, PDFDict, PDFDocument, PDFName, PDFRawStream } from 'pdf-lib';

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

/** `glyph` is empty for the further letters of one glyph (a conjunct or ligature). */
export type DrawnGlyph = { unicode: string; glyph: string };

/** Pages for mupdf, 1-based and inclusive; 'N' is the last page. */
export type GlyphPages = { first: number; last: number | 'N' };

/** Every glyph mupdf draws on the given pages (1-based, inclusive), with the text it stands for. */
export function drawnGlyphs(pdf: Uint8Array, range: GlyphPages = { first: 1, last: 'N' }): DrawnGlyph[] {
  const trace = withPdfFile(pdf, (file) =>
    run('mutool', ['draw', '-F', 'trace', '-o', '-', file, `${range.first}-${range.last}`]),
  );
  return [...trace.matchAll(/<g unicode="([^"]*)"(?: glyph="([^"]*)")?/g)].map((m) => ({
    unicode: m[1]!,
    glyph: m[2] ?? '',
  }));
}

/** The characters of the pages drawn as .notdef (glyph 0 of an embedded CID font). */
export function notdefCount(pdf: Uint8Array, range?: GlyphPages): number {
  return drawnGlyphs(pdf, range).filter((g) => g.glyph === '0' || g.glyph === '.notdef').length;
}

function decoded(stream: unknown): Uint8Array {
  if (!(stream instanceof PDFRawStream)) throw new Error('not a stream');
  return decodePDFRawStream(stream).decode();
}

/**
 * The characters, by font, whose glyph in an embedded TrueType subset has no outline (it would
 * print nothing): every glyph its ToUnicode map names for a visible character must have ink.
 */
export async function inklessCharacters(pdf: Uint8Array): Promise<Record<string, string[]>> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  const found: Record<string, string[]> = {};
  for (const [, object] of doc.context.enumerateIndirectObjects()) {
    if (!(object instanceof PDFDict) || object.get(PDFName.of('Subtype')) !== PDFName.of('Type0')) continue;
    const cidFont = (object.lookup(PDFName.of('DescendantFonts')) as PDFArray).lookup(0) as PDFDict;
    const descriptor = cidFont.lookup(PDFName.of('FontDescriptor')) as PDFDict;
    const program = descriptor.lookup(PDFName.of('FontFile2'));
    if (!program) continue;
    const font = createFontkitFont(Buffer.from(decoded(program))) as FontkitFont;
    const cmap = new TextDecoder().decode(decoded(object.lookup(PDFName.of('ToUnicode'))));
    const missing: string[] = [];
    for (const [, gid, utf16] of cmap.matchAll(/<([0-9A-F]{4})> <([0-9A-F]+)>/gi)) {
      const text = String.fromCharCode(...utf16!.match(/.{4}/g)!.map((unit) => Number.parseInt(unit, 16)));
      if (/^\s*$/u.test(text)) continue;
      let commands = 0;
      try {
        commands = font.getGlyph(Number.parseInt(gid!, 16)).path.commands.length;
      } catch {
        // An outline fontkit cannot even decode prints nothing either.
      }
      if (commands === 0) missing.push(text);
    }
    if (missing.length > 0) found[String(object.lookup(PDFName.of('BaseFont')))] = missing;
  }
  return found;
}
