// A pdf-lib context over the original bytes that parses objects only when they are looked up.
// pdf-lib's own load parses every object of the file (and decodes every object stream) before
// anything can be drawn; stamping three boxes and appending a few pages needs the catalog, the
// page tree, the stamped pages, their resources and the form: a few dozen objects. This reads the
// cross-reference sections (tables and streams, following /Prev), and the context's object map
// materializes an object from its offset, or from its object stream, on first lookup.
//
// It also knows what changed: every object is fingerprinted when it is materialized, so only
// materialized objects can differ, and the incremental writer gets exactly those.
//
// Anything unexpected (a section that is not where the offsets say, a hybrid /XRefStm file, an
// object whose header does not match its entry) raises LazyLoadError; the caller then falls
// back to pdf-lib's complete parse. Anything over a bound of pdf-limits.ts (a decompression bomb,
// 10^8 cross-reference entries, objects nested thousands deep) is a PDF_TOO_COMPLEX refusal:
// pdf-lib's parse would not survive it either.
import {
  PDFArray,
  PDFCatalog,
  PDFDict,
  PDFName,
  PDFNumber,
  PDFObjectParser,
  PDFRawStream,
  PDFRef,
  PDFStream,
} from 'pdf-lib';
import type { PDFContext, PDFObject } from 'pdf-lib';
import { isDomainError } from '../errors.ts';
import { createContextWithObjectMap } from './pdf-lib-internals.ts';
import { decodeStreamBounded } from './bounded-stream-decode.ts';
import { PDF_LIMITS, PdfBudget, tooComplex } from './pdf-limits.ts';
import type { RevisionTail } from './pdf-syntax.ts';
import { asBuffer, skipWhiteAndComments } from './pdf-syntax.ts';

export class LazyLoadError extends Error {
  override readonly name = 'LazyLoadError';
}

type XrefEntry =
  | { kind: 'free' }
  | { kind: 'offset'; offset: number; generation: number }
  | { kind: 'stream'; stream: number; index: number };

type Trailer = { Root?: PDFObject; Info?: PDFObject; ID?: PDFObject; Encrypt?: PDFObject };

export function fingerprint(object: PDFObject): string {
  // Existing streams are never rewritten by the engine; only their dictionary can change.
  return object instanceof PDFStream ? `stream:${object.dict.toString()}` : object.toString();
}

function fail(message: string): never {
  throw new LazyLoadError(message);
}

/** The object map of a lazy context: materializes objects of the original on first get. */
class LazyObjectMap extends Map<PDFRef, PDFObject> {
  /** Fingerprints of the objects as they were read from the original. */
  readonly prints = new Map<PDFRef, string>();
  /**
   * While set, objects are materialized without a fingerprint (the read-only checks touch every
   * page: printing each costs as much as parsing it). The first lookup after the checks prints
   * such an object, before the caller can change it; one never looked up again is unchanged.
   */
  deferPrints = false;
  private readonly unprinted = new Set<PDFRef>();
  private readonly objectStreams = new Map<
    number,
    { bytes: Uint8Array; offsets: Map<number, number>; numbers: number[] }
  >();
  private readonly missing = new Set<PDFRef>();
  private source: LazySource | undefined;
  /** The first read that failed, kept in case pdf-lib swallowed the error: the result is then refused. */
  failure: unknown;

  attach(source: LazySource): void {
    this.source = source;
  }

  override get(ref: PDFRef): PDFObject | undefined {
    const present = super.get(ref);
    if (present !== undefined) {
      if (!this.deferPrints && this.unprinted.delete(ref)) this.prints.set(ref, fingerprint(present));
      return present;
    }
    if (this.missing.has(ref) || !this.source) return present;
    let object: PDFObject | undefined;
    try {
      object = this.materialize(ref);
    } catch (error) {
      this.failure ??= error;
      throw error;
    }
    if (object === undefined) {
      this.missing.add(ref);
      return undefined;
    }
    super.set(ref, object);
    if (this.deferPrints) this.unprinted.add(ref);
    else this.prints.set(ref, fingerprint(object));
    return object;
  }

  override has(ref: PDFRef): boolean {
    return this.get(ref) !== undefined;
  }

  override set(ref: PDFRef, object: PDFObject): this {
    this.missing.delete(ref);
    this.unprinted.delete(ref);
    return super.set(ref, object);
  }

  /** Whether the object may differ from the original: new, or printed and changed since. */
  isChanged(ref: PDFRef, object: PDFObject): boolean {
    if (this.unprinted.has(ref)) return false;
    const before = this.prints.get(ref);
    return before === undefined || before !== fingerprint(object);
  }

  private materialize(ref: PDFRef): PDFObject | undefined {
    const source = this.source!;
    const entry = source.xref.get(ref.objectNumber);
    if (!entry || entry.kind === 'free') return undefined;
    if (entry.kind === 'offset') {
      if (entry.generation !== ref.generationNumber) return undefined;
      return source.parseAt(entry.offset, ref.objectNumber, ref.generationNumber);
    }
    if (ref.generationNumber !== 0) return undefined;
    const stream = this.objectStream(entry.stream);
    const at = stream.offsets.get(ref.objectNumber);
    if (at === undefined || stream.numbers[entry.index] !== ref.objectNumber)
      fail(`Object ${ref.objectNumber} is not in its object stream.`);
    source.budget.readObject();
    return parseBounded(stream.bytes, at, source.context);
  }

  private objectStream(number: number) {
    let cached = this.objectStreams.get(number);
    if (cached) return cached;
    const source = this.source!;
    const entry = source.xref.get(number);
    if (entry?.kind !== 'offset') fail(`Object stream ${number} has no offset.`);
    const stream = source.parseAt(entry.offset, number, entry.generation);
    if (!(stream instanceof PDFRawStream)) fail(`Object ${number} is not an object stream.`);
    const first = stream.dict.get(PDFName.of('First'));
    const count = stream.dict.get(PDFName.of('N'));
    if (!(first instanceof PDFNumber) || !(count instanceof PDFNumber))
      fail(`Object stream ${number} lacks /First or /N.`);
    const bytes = decodeStream(stream, source.budget);
    checkObjectStreamShape(count.asNumber(), first.asNumber(), bytes.length);
    const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, first.asNumber())).toString(
      'latin1',
    );
    const values = head.trim().split(/\s+/).map(Number);
    if (values.length < count.asNumber() * 2 || values.some((v) => !Number.isInteger(v)))
      fail(`Object stream ${number} has a bad header.`);
    const offsets = new Map<number, number>();
    const numbers: number[] = [];
    for (let i = 0; i < count.asNumber(); i += 1) {
      numbers.push(values[2 * i]!);
      offsets.set(values[2 * i]!, first.asNumber() + values[2 * i + 1]!);
    }
    cached = { bytes, offsets, numbers };
    this.objectStreams.set(number, cached);
    return cached;
  }
}

class LazySource {
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

/** Decodes a stream within the budget, undoing a PNG predictor (/Predictor 10-15) that pdf-lib ignores. */
export function decodeStream(stream: PDFRawStream, budget: PdfBudget): Uint8Array {
  const bytes = decodeStreamBounded(stream, budget);
  const parms = stream.dict.get(PDFName.of('DecodeParms'));
  if (parms === undefined) return bytes;
  if (!(parms instanceof PDFDict)) fail('Unsupported /DecodeParms.');
  const number = (key: string, fallback: number) => {
    const value = parms.get(PDFName.of(key));
    if (value === undefined) return fallback;
    if (!(value instanceof PDFNumber)) fail(`Unsupported /${key}.`);
    return value.asNumber();
  };
  const predictor = number('Predictor', 1);
  if (predictor === 1) return bytes;
  if (predictor < 10 || number('Colors', 1) !== 1 || number('BitsPerComponent', 8) !== 8)
    fail('Unsupported predictor.');
  const columns = number('Columns', 1);
  const rows = Math.floor(bytes.length / (columns + 1));
  const out = new Uint8Array(rows * columns);
  for (let r = 0; r < rows; r += 1) {
    const type = bytes[r * (columns + 1)]!;
    const from = r * (columns + 1) + 1;
    const at = r * columns;
    for (let c = 0; c < columns; c += 1) {
      const raw = bytes[from + c]!;
      const left = c > 0 ? out[at + c - 1]! : 0;
      const up = r > 0 ? out[at - columns + c]! : 0;
      const upLeft = r > 0 && c > 0 ? out[at - columns + c - 1]! : 0;
      let value: number;
      if (type === 0) value = raw;
      else if (type === 1) value = raw + left;
      else if (type === 2) value = raw + up;
      else if (type === 3) value = raw + ((left + up) >> 1);
      else if (type === 4) {
        const p = left + up - upLeft;
        const pa = Math.abs(p - left);
        const pb = Math.abs(p - up);
        const pc = Math.abs(p - upLeft);
        value = raw + (pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft);
      } else fail('Unknown PNG predictor row type.');
      out[at + c] = value & 0xff;
    }
  }
  return out;
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

export type LazyContext = {
  context: PDFContext;
  changedRefs: () => PDFRef[];
  /** Runs read-only checks without fingerprinting what they materialize (see LazyObjectMap.deferPrints). */
  readOnly: <T>(check: () => T) => T;
};

/** A context whose objects are read from `original` on demand, through its cross-reference sections. */
export function createLazyContext(original: Uint8Array, tail: RevisionTail, budget = new PdfBudget()): LazyContext {
  if (tail.rebuilt) fail('The cross-reference table does not match the file.');
  const buf = asBuffer(original);
  const objects = new LazyObjectMap();
  const context = createContextWithObjectMap(objects);
  const source = new LazySource(buf, context, tail.offsetBase, budget);
  try {
    source.readSections(tail.prevXref);
  } catch (error) {
    if (error instanceof LazyLoadError || isDomainError(error)) throw error;
    throw new LazyLoadError('A cross-reference section cannot be parsed.', { cause: error });
  }
  const { Root, Info, ID, Encrypt } = source.trailer;
  if (!(Root instanceof PDFRef)) fail('The trailer has no /Root reference.');
  context.trailerInfo = { Root, Info, ID, Encrypt };
  context.largestObjectNumber = source.maxNumber;
  objects.attach(source);
  if (!(context.lookup(Root) instanceof PDFCatalog)) fail('/Root is not a catalog.');

  const changedRefs = () => {
    if (isDomainError(objects.failure)) throw objects.failure;
    if (objects.failure !== undefined)
      throw new LazyLoadError('An object of the original could not be read.', { cause: objects.failure });
    const changed: PDFRef[] = [];
    for (const [ref, object] of objects) if (objects.isChanged(ref, object)) changed.push(ref);
    return changed.sort((a, b) => a.objectNumber - b.objectNumber);
  };
  const readOnly = <T>(check: () => T): T => {
    objects.deferPrints = true;
    try {
      return check();
    } finally {
      objects.deferPrints = false;
    }
  };
  return { context, changedRefs, readOnly };
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

/** Bounds of an object stream's /N and /First against its decoded length. */
export function checkObjectStreamShape(count: number, first: number, decodedLength: number): void {
  if (!Number.isInteger(count) || count < 0 || count > PDF_LIMITS.maxObjectsPerStream)
    throw tooComplex('maxObjectsPerStream', 'An object stream announces an impossible number of objects.');
  if (!Number.isInteger(first) || first < 0 || first > decodedLength || count * 4 > decodedLength + 4)
    throw tooComplex('maxObjectsPerStream', 'An object stream header does not fit its data.');
}

/** Deepest nesting of arrays and dictionaries allowed in one object (pdf-lib parses recursively). */
const MAX_NESTING = 256;

/** Parses one object at `at`, refusing nesting that would exhaust the stack of pdf-lib's recursive parser. */
function parseBounded(bytes: Uint8Array, at: number, context: PDFContext): PDFObject {
  if (nestingDepth(bytes, at) > MAX_NESTING) throw tooComplex('maxTreeDepth', 'An object is nested too deep.');
  try {
    return PDFObjectParser.forBytes(bytes.subarray(at), context).parseObject();
  } catch (error) {
    if (error instanceof RangeError) throw tooComplex('maxTreeDepth', 'An object is nested too deep.', error);
    throw new LazyLoadError('An object cannot be parsed.', { cause: error });
  }
}

/**
 * The deepest [ / << nesting of the object starting at `at`, scanning until it closes (strings
 * and comments skipped); stops as soon as MAX_NESTING is passed. Linear in the object's size.
 */
export function nestingDepth(bytes: Uint8Array, at: number): number {
  let depth = 0;
  let deepest = 0;
  let i = at;
  while (i < bytes.length) {
    const c = bytes[i]!;
    if (c === 0x5b || (c === 0x3c && bytes[i + 1] === 0x3c)) {
      depth += 1;
      if (depth > deepest) deepest = depth;
      if (deepest > MAX_NESTING) return deepest;
      i += c === 0x5b ? 1 : 2;
    } else if (c === 0x5d || (c === 0x3e && bytes[i + 1] === 0x3e)) {
      depth -= 1;
      i += c === 0x5d ? 1 : 2;
      if (depth <= 0) return deepest;
    } else if (c === 0x28) {
      i = skipLiteralString(bytes, i);
    } else if (c === 0x3c) {
      const end = bytes.indexOf(0x3e, i);
      i = end < 0 ? bytes.length : end + 1;
    } else if (c === 0x25) {
      while (i < bytes.length && bytes[i] !== 0x0a && bytes[i] !== 0x0d) i += 1;
    } else {
      // Outside any container, the object is a scalar (or a reference): nothing to nest.
      if (depth === 0 && c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09 && c !== 0x0c && c !== 0x00)
        return deepest;
      i += 1;
    }
  }
  return deepest;
}

function skipLiteralString(bytes: Uint8Array, at: number): number {
  let level = 0;
  let i = at;
  while (i < bytes.length) {
    const c = bytes[i]!;
    if (c === 0x5c) i += 2;
    else {
      if (c === 0x28) level += 1;
      else if (c === 0x29) {
        level -= 1;
        if (level === 0) return i + 1;
      }
      i += 1;
    }
  }
  return i;
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
