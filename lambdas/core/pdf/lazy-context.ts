// A pdf-lib context over the original bytes that parses objects only when they are looked up.
// pdf-lib's own load parses every object of the file (and decodes every object stream) before
// anything can be drawn; stamping three boxes and appending a few pages needs the catalog, the
// page tree, the stamped pages, their resources and the form: a few dozen objects. This reads the
// cross-reference sections (xref-sections.ts: tables and streams, following /Prev), and the
// context's object map materializes an object from its offset, or from its object stream, on first lookup.
//
// It also knows what changed: every object is fingerprinted when it is materialized, so only
// materialized objects can differ, and the incremental writer gets exactly those.
//
// Anything unexpected (a section that is not where the offsets say, a hybrid /XRefStm file, an
// object whose header does not match its entry) raises LazyLoadError; the caller then falls
// back to pdf-lib's complete parse. Anything over a bound of pdf-limits.ts (a decompression bomb,
// 10^8 cross-reference entries, objects nested thousands deep) is a PDF_TOO_COMPLEX refusal:
// pdf-lib's parse would not survive it either.
import { PDFCatalog, PDFName, PDFNumber, PDFRawStream, PDFRef, PDFStream } from 'pdf-lib';
import type { PDFContext, PDFObject } from 'pdf-lib';
import { isDomainError } from '../errors.ts';
import { parseBounded } from './bounded-object-parse.ts';
import { fail, LazyLoadError } from './lazy-load-error.ts';
import { createContextWithObjectMap } from './pdf-lib-internals.ts';
import { PDF_LIMITS, PdfBudget, tooComplex } from './pdf-limits.ts';
import type { RevisionTail } from './pdf-syntax.ts';
import { asBuffer } from './pdf-syntax.ts';
import { decodeStream } from './predictor-stream-decode.ts';
import { LazySource } from './xref-sections.ts';

export function fingerprint(object: PDFObject): string {
  // Existing streams are never rewritten by the engine; only their dictionary can change.
  return object instanceof PDFStream ? `stream:${object.dict.toString()}` : object.toString();
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
    // Re-entrant: a page found on demand inside a check leaves the check read-only.
    const outer = objects.deferPrints;
    objects.deferPrints = true;
    try {
      return check();
    } finally {
      objects.deferPrints = outer;
    }
  };
  return { context, changedRefs, readOnly };
}

/** Bounds of an object stream's /N and /First against its decoded length. */
export function checkObjectStreamShape(count: number, first: number, decodedLength: number): void {
  if (!Number.isInteger(count) || count < 0 || count > PDF_LIMITS.maxObjectsPerStream)
    throw tooComplex('maxObjectsPerStream', 'An object stream announces an impossible number of objects.');
  if (!Number.isInteger(first) || first < 0 || first > decodedLength || count * 4 > decodedLength + 4)
    throw tooComplex('maxObjectsPerStream', 'An object stream header does not fit its data.');
}
