// Low-level facts about the original file's bytes that pdf-lib does not expose: where the header
// starts, where the last cross-reference section is and which kind it is, so an incremental
// update can chain to it with /Prev in the file's own offset convention.
import { DomainError } from '../errors.ts';
import { PDF_LIMITS, tooComplex } from './pdf-limits.ts';

export type XrefKind = 'table' | 'stream';

export type RevisionTail = {
  /** File offset of `%PDF-` (non-zero for files with bytes before the header). */
  headerOffset: number;
  /** What to subtract from a file offset to get an offset as this file's xref writes them. */
  offsetBase: number;
  /** Value for /Prev: the last cross-reference section, in the file's offset convention. */
  prevXref: number;
  kind: XrefKind;
  /** /Size of the last trailer (0 when unreadable); informative only, never trusted for numbering. */
  declaredSize: number;
  /**
   * Set when the last classic xref table does not match the file (readers rebuild it): the
   * objects found by scanning, in the file's offset convention, so the update can carry a
   * complete table without /Prev instead of chaining to a broken one.
   */
  rebuilt?: Map<number, { offset: number; generation: number }>;
};

export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function isWhite(byte: number | undefined): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09 || byte === 0x0c || byte === 0x00;
}

function skipWhite(buf: Buffer, at: number): number {
  let pos = at;
  while (pos < buf.length && isWhite(buf[pos])) pos += 1;
  return pos;
}

/** Skips white space and comments (a startxref may point at a comment line before the section). */
export function skipWhiteAndComments(buf: Buffer, at: number): number {
  let pos = skipWhite(buf, at);
  while (buf[pos] === 0x25 && !buf.toString('latin1', pos, pos + 5).startsWith('%%EOF')) {
    while (pos < buf.length && buf[pos] !== 0x0a && buf[pos] !== 0x0d) pos += 1;
    pos = skipWhite(buf, pos);
  }
  return pos;
}

function sectionKindAt(buf: Buffer, at: number): XrefKind | undefined {
  if (at < 0 || at >= buf.length) return undefined;
  const start = skipWhiteAndComments(buf, at);
  const head = buf.toString('latin1', start, Math.min(buf.length, start + 64));
  if (head.startsWith('xref')) return 'table';
  if (/^\d+\s+\d+\s+obj/.test(head)) {
    const window = buf.toString('latin1', start, Math.min(buf.length, start + 2048));
    if (/\/Type\s*\/XRef/.test(window)) return 'stream';
  }
  return undefined;
}

/** Finds the header and the last cross-reference section of the original file. */
export function readRevisionTail(original: Uint8Array): RevisionTail {
  const buf = asBuffer(original);
  const headerOffset = buf.indexOf('%PDF-', 0, 'latin1');
  if (headerOffset < 0 || headerOffset > 1024) {
    throw new DomainError({ code: 'PDF_INVALID', message: 'The file has no PDF header.' });
  }
  const keyword = buf.lastIndexOf('startxref', buf.length, 'latin1');
  if (keyword < 0) throw new DomainError({ code: 'PDF_INVALID', message: 'The file has no startxref.' });
  const numberStart = skipWhite(buf, keyword + 'startxref'.length);
  const match = /^\d+/.exec(buf.toString('latin1', numberStart, numberStart + 20));
  const declared = match ? Number(match[0]) : -1;
  // Offsets are relative to the header in files with a prefix (PDF 2.0); older writers used file offsets.
  for (const base of headerOffset > 0 ? [headerOffset, 0] : [0]) {
    const kind = sectionKindAt(buf, declared + base);
    if (kind) {
      // A startxref at a comment line: /Prev names the section itself (MuPDF does not skip comments there).
      const at =
        buf[skipWhite(buf, declared + base)] === 0x25 ? skipWhiteAndComments(buf, declared + base) : declared + base;
      const tail: RevisionTail = {
        headerOffset,
        offsetBase: base,
        prevXref: at - base,
        kind,
        declaredSize: readSize(buf, at, kind),
      };
      if (kind === 'table' && !tableMatchesFile(buf, at, base)) tail.rebuilt = scanObjects(buf, base);
      return tail;
    }
  }
  // A wrong startxref (readers reconstruct): chain to the last section actually present instead.
  const base = headerOffset;
  const tableAt = lastKeywordAtLineStart(buf, 'xref', keyword);
  const streamAt = lastXrefStreamStart(buf, keyword);
  const found = Math.max(tableAt, streamAt);
  if (found < 0)
    throw new DomainError({ code: 'PDF_INVALID', message: 'The cross-reference section cannot be found.' });
  const kind: XrefKind = found === tableAt ? 'table' : 'stream';
  // Readers rebuild such a file from its objects and never use its sections: an update chained to
  // them (/Prev) would show them what the original never showed. A complete table replaces them;
  // a complete cross-reference stream would have to list objects inside object streams: refused.
  if (kind === 'stream') {
    throw new DomainError({
      code: 'PDF_INVALID',
      message: 'The startxref offset is wrong in a file with cross-reference streams.',
    });
  }
  return {
    headerOffset,
    offsetBase: base,
    prevXref: found - base,
    kind,
    declaredSize: readSize(buf, found, kind),
    rebuilt: scanObjects(buf, base),
  };
}

/** Samples in-use entries of the xref table at `at`: each must point at "N G obj". */
function tableMatchesFile(buf: Buffer, at: number, base: number): boolean {
  const text = buf.toString('latin1', at, Math.min(buf.length, at + 64 * 1024));
  const lines = text.split(/\r\n|\r|\n/).map((line) => line.trim());
  let number = 0;
  let checked = 0;
  for (const line of lines.slice(1)) {
    if (line.startsWith('trailer') || checked >= 40) break;
    if (line === '') continue;
    const header = /^(\d+)\s+(\d+)$/.exec(line);
    if (header) {
      number = Number(header[1]);
      continue;
    }
    const entry = /^(\d{10})\s+(\d{5})\s+([nf])/.exec(line);
    if (!entry) return false;
    if (entry[3] === 'n') {
      const offset = Number(entry[1]) + base;
      const head = buf.toString('latin1', offset, Math.min(buf.length, offset + 32));
      const found = /^\s*(\d+)\s+(\d+)\s+obj/.exec(head);
      if (!found || Number(found[1]) !== number) return false;
      checked += 1;
    }
    number += 1;
  }
  return true;
}

/** Every "N G obj" at a line start; the last definition of a number wins, as in readers' repair. */
function scanObjects(buf: Buffer, base: number): Map<number, { offset: number; generation: number }> {
  const objects = new Map<number, { offset: number; generation: number }>();
  const text = buf.toString('latin1');
  const re = /(^|[\r\n])[ \t]*(\d+)[ \t\r\n]+(\d+)[ \t\r\n]+obj\b/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const offset = m.index + m[1]!.length + (m[0].length - m[0].trimStart().length - m[1]!.length);
    const number = Number(m[2]);
    // The rebuilt table lists every number up to the highest: bounded like any cross-reference section.
    if (number > PDF_LIMITS.maxObjectNumber)
      throw tooComplex('maxObjectNumber', `An object is numbered above ${PDF_LIMITS.maxObjectNumber}.`);
    objects.set(number, { offset: offset - base, generation: Number(m[3]) });
  }
  return objects;
}

function readSize(buf: Buffer, at: number, kind: XrefKind): number {
  const from = kind === 'table' ? buf.indexOf('trailer', at, 'latin1') : at;
  if (from < 0) return 0;
  const match = /\/Size\s+(\d+)/.exec(buf.toString('latin1', from, Math.min(buf.length, from + 4096)));
  return match ? Number(match[1]) : 0;
}

function lastKeywordAtLineStart(buf: Buffer, word: string, before: number): number {
  let at = buf.lastIndexOf(word, before, 'latin1');
  while (at > 0) {
    const prev = buf[at - 1];
    if (prev === 0x0a || prev === 0x0d) return at;
    at = buf.lastIndexOf(word, at - 1, 'latin1');
  }
  return -1;
}

function lastXrefStreamStart(buf: Buffer, before: number): number {
  const from = Math.max(0, before - 1024 * 1024);
  const text = buf.toString('latin1', from, before);
  const re = /(\d+)\s+(\d+)\s+obj\s*<<(?:(?!endobj)[\s\S]){0,2000}?\/Type\s*\/XRef/g;
  let last = -1;
  for (let m = re.exec(text); m; m = re.exec(text)) last = from + m.index;
  return last;
}

/** PDF date string, always in UTC: D:YYYYMMDDHHmmSS+00'00'. */
export function formatPdfDate(date: Date): string {
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return (
    `D:${pad(date.getUTCFullYear(), 4)}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}` +
    `${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}+00'00'`
  );
}

/** A PDF text string as a hex UTF-16BE literal, safe for any characters. */
export function encodeTextString(text: string): string {
  const units: string[] = ['FEFF'];
  for (let i = 0; i < text.length; i += 1) units.push(text.charCodeAt(i).toString(16).padStart(4, '0').toUpperCase());
  return `<${units.join('')}>`;
}

/** Bytes reserved for the CMS: the seal chain, the signature and room for an RFC 3161 token. */
export const SIGNATURE_CONTENTS_BYTES = 32768;
export const BYTE_RANGE_PLACEHOLDER = '/ByteRange [0 /********** /********** /**********]';

/** The parts, one after the other, in one new buffer. */
export function joinParts(parts: Uint8Array[]): Uint8Array {
  const out = Buffer.allocUnsafe(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}
