// The cross-reference sections of a file (tables and streams, following /Prev): where each object
// of the original is, within the bounds of pdf-limits.ts. The lazy context reads objects through
// them; preparation asks them how many object numbers the file already uses.
import { PDFArray, PDFDict, PDFName, PDFNumber, PDFObjectParser, PDFRawStream } from 'pdf-lib';
import type { PDFContext, PDFObject } from 'pdf-lib';
import { parseBounded } from './bounded-object-parse.ts';
import { fail, LazyLoadError } from './lazy-load-error.ts';
import { createContextWithObjectMap } from './pdf-lib-internals.ts';
import { PDF_LIMITS, type PdfBudget, tooComplex } from './pdf-limits.ts';
import type { RevisionTail } from './pdf-syntax.ts';
import { asBuffer, skipWhiteAndComments } from './pdf-syntax.ts';
import { decodeStream } from './predictor-stream-decode.ts';

type XrefEntry =
  | { kind: 'free' }
  | { kind: 'offset'; offset: number; generation: number }
  | { kind: 'stream'; stream: number; index: number };

type Trailer = { Root?: PDFObject; Info?: PDFObject; ID?: PDFObject; Encrypt?: PDFObject };

export class LazySource {
  readonly xref = new Map<number, XrefEntry>();
  trailer: Trailer = {};
  maxNumber = 0;

  constructor(
    readonly buf: Buffer,
    readonly context: PDFContext,
    private readonly base: number,
    readonly budget: PdfBudget,
  ) {}

  /** Parses "n g obj <object>" at a file offset, checking the header. */
  parseAt(offset: number, number: number, generation: number): PDFObject {
    if (offset < 0 || offset >= this.buf.length) fail(`Offset ${offset} is outside the file.`);
    const head = this.buf.toString('latin1', offset, Math.min(this.buf.length, offset + 40));
    const match = /^(\d+)[\s\0]+(\d+)[\s\0]+obj/.exec(head);
    if (!match || Number(match[1]) !== number || Number(match[2]) !== generation)
      fail(`Object ${number} is not at ${offset}.`);
    this.budget.readObject();
    return parseBounded(this.buf, offset + match[0].length, this.context);
  }

  readSections(start: number): void {
    const seen = new Set<number>();
    let at: number | undefined = start;
    let newest = true;
    while (at !== undefined) {
      if (seen.has(at)) fail('The cross-reference chain loops.');
      if (seen.size >= PDF_LIMITS.maxXrefSections)
        throw tooComplex('maxXrefSections', 'Too many cross-reference sections.');
      seen.add(at);
      let fileOffset: number = at + this.base;
      if (fileOffset < 0 || fileOffset >= this.buf.length) fail('A cross-reference offset is outside the file.');
      fileOffset = skipWhiteAndComments(this.buf, fileOffset);
      const head = this.buf.toString('latin1', fileOffset, Math.min(this.buf.length, fileOffset + 64));
      const dict: PDFDict = head.startsWith('xref') ? this.readTable(fileOffset) : this.readStream(fileOffset);
      if (newest) {
        this.trailer = {
          Root: dict.get(PDFName.of('Root')),
          Info: dict.get(PDFName.of('Info')),
          ID: dict.get(PDFName.of('ID')),
          Encrypt: dict.get(PDFName.of('Encrypt')),
        };
        newest = false;
      }
      // /Size is not trusted for numbering (a 484-byte file may claim 10^9 objects): only entries count.
      const prev: PDFObject | undefined = dict.get(PDFName.of('Prev'));
      at = prev instanceof PDFNumber ? prev.asNumber() : undefined;
    }
  }

  private add(number: number, entry: XrefEntry): void {
    // Newer sections are read first: the first entry for a number wins.
    if (!this.xref.has(number)) this.xref.set(number, entry);
    // Every number a section names (free ones and object streams too) is taken: new objects go above.
    this.maxNumber = Math.max(this.maxNumber, number, entry.kind === 'stream' ? entry.stream : 0);
  }

  private readTable(at: number): PDFDict {
    const trailerAt = this.buf.indexOf('trailer', at, 'latin1');
    if (trailerAt < 0) fail('A cross-reference table has no trailer.');
    const lines = this.buf.toString('latin1', at + 4, trailerAt).split(/\r\n|\r|\n/);
    let number = -1;
    let remaining = 0;
    for (const raw of lines) {
      const line = raw.trim();
      if (line === '') continue;
      if (remaining === 0) {
        const header = /^(\d+)\s+(\d+)$/.exec(line);
        if (!header) fail('A cross-reference subsection header is malformed.');
        number = Number(header[1]);
        remaining = Number(header[2]);
        checkXrefRange(number, remaining, this.budget);
        continue;
      }
      const entry = /^(\d{10})\s(\d{5})\s([nf])$/.exec(line);
      if (!entry) fail('A cross-reference entry is malformed.');
      if (entry[3] === 'n')
        this.add(number, { kind: 'offset', offset: Number(entry[1]) + this.base, generation: Number(entry[2]) });
      else if (number !== 0) this.add(number, { kind: 'free' });
      number += 1;
      remaining -= 1;
    }
    if (remaining !== 0) fail('A cross-reference subsection is short.');
    const dict = PDFObjectParser.forBytes(this.buf.subarray(trailerAt + 'trailer'.length), this.context).parseObject();
    if (!(dict instanceof PDFDict)) fail('A trailer is not a dictionary.');
    // Hybrid files: readers merge a cross-reference stream into this section; left to pdf-lib's parse.
    if (dict.get(PDFName.of('XRefStm'))) fail('Hybrid cross-reference (/XRefStm).');
    return dict;
  }

  private readStream(at: number): PDFDict {
    const head = this.buf.toString('latin1', at, Math.min(this.buf.length, at + 40));
    const match = /^(\d+)\s+(\d+)\s+obj/.exec(head);
    if (!match) fail('No cross-reference stream at its offset.');
    const stream = this.parseAt(at, Number(match[1]), Number(match[2]));
    if (!(stream instanceof PDFRawStream) || stream.dict.get(PDFName.of('Type')) !== PDFName.of('XRef'))
      fail('Not a cross-reference stream.');
    const dict = stream.dict;
    const widths = numbers(dict.get(PDFName.of('W')));
    const size = dict.get(PDFName.of('Size'));
    if (widths?.length !== 3 || !(size instanceof PDFNumber)) fail('A cross-reference stream lacks /W or /Size.');
    const index = numbers(dict.get(PDFName.of('Index'))) ?? [0, size.asNumber()];
    checkXrefStreamShape(widths, index, this.budget);
    const data = decodeStream(stream, this.budget);
    const rowWidth = widths[0]! + widths[1]! + widths[2]!;
    const read = (at2: number, width: number) => {
      let value = 0;
      for (let i = 0; i < width; i += 1) value = value * 256 + data[at2 + i]!;
      return value;
    };
    let row = 0;
    for (let i = 0; i + 1 < index.length; i += 2) {
      for (let n = index[i]!; n < index[i]! + index[i + 1]!; n += 1) {
        const at2 = row * rowWidth;
        if (at2 + rowWidth > data.length) fail('A cross-reference stream is short.');
        const type = widths[0] === 0 ? 1 : read(at2, widths[0]!);
        const second = read(at2 + widths[0]!, widths[1]!);
        const third = read(at2 + widths[0]! + widths[1]!, widths[2]!);
        if (type === 0) {
          if (n !== 0) this.add(n, { kind: 'free' });
        } else if (type === 1) this.add(n, { kind: 'offset', offset: second + this.base, generation: third });
        else if (type === 2) this.add(n, { kind: 'stream', stream: second, index: third });
        row += 1;
      }
    }
    return dict;
  }
}

function numbers(value: PDFObject | undefined): number[] | undefined {
  if (!(value instanceof PDFArray)) return undefined;
  const out: number[] = [];
  for (let i = 0; i < value.size(); i += 1) {
    const item = value.get(i);
    if (!(item instanceof PDFNumber)) return undefined;
    out.push(item.asNumber());
  }
  return out;
}

/** Bounds of a cross-reference stream, checked before its rows are read (here and before pdf-lib's parse). */
export function checkXrefStreamShape(widths: number[], index: number[], budget: PdfBudget): void {
  if (widths.some((w) => !Number.isInteger(w) || w < 0 || w > 8) || widths[1] === 0 || index.length % 2 !== 0)
    throw tooComplex('maxXrefEntries', 'A cross-reference stream has impossible /W or /Index values.');
  for (let i = 0; i + 1 < index.length; i += 2) checkXrefRange(index[i]!, index[i + 1]!, budget);
}

/** A subsection "first count": whole numbers, within the object-number limit, within the budget. */
export function checkXrefRange(first: number, count: number, budget: PdfBudget): void {
  if (!Number.isInteger(first) || !Number.isInteger(count) || first < 0 || count < 0)
    throw tooComplex('maxXrefEntries', 'A cross-reference subsection is not a range of object numbers.');
  if (first + count > PDF_LIMITS.maxObjectNumber + 1)
    throw tooComplex('maxObjectNumber', `A cross-reference subsection goes past object ${PDF_LIMITS.maxObjectNumber}.`);
  budget.readXrefEntries(count);
}

/**
 * The highest object number any cross-reference section of the file names (entries, free or not,
 * and object streams), read within the budget; undefined when the sections cannot be read.
 */
export function readXrefExtent(original: Uint8Array, tail: RevisionTail, budget: PdfBudget): number | undefined {
  const source = new LazySource(asBuffer(original), createContextWithObjectMap(new Map()), tail.offsetBase, budget);
  try {
    source.readSections(tail.prevXref);
  } catch (error) {
    if (error instanceof LazyLoadError) return source.maxNumber || undefined;
    throw error;
  }
  return source.maxNumber;
}
