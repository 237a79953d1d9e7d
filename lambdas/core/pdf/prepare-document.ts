// Assemble: the original bytes followed by one incremental update holding the stamps, the audit
// trail, and the certification signature placeholder (see certify-document.ts for the filling).
//
// Intake runs the very same code as a dry run (dry-run-preparation.ts), with a placeholder stamp on
// every page: a file intake accepts is one this function can assemble.
import { PDFArray, PDFRef, PDFStream } from 'pdf-lib';
import type { PDFPage } from 'pdf-lib';
import { ConfigError, DomainError, isDomainError } from '../errors.ts';
import type { DomainErrorCode } from '../errors.ts';
import { addCertificationField } from './add-certification-field.ts';
import { drawAuditTrail } from './draw-audit-trail.ts';
import type { AuditTrail } from './draw-audit-trail.ts';
import { drawStamps } from './draw-stamps.ts';
import type { SignerStamp } from './draw-stamps.ts';
import { writeUpdate } from './incremental-writer.ts';
import { joinParts } from './pdf-syntax.ts';
import type { UpdateObject } from './incremental-writer.ts';
import { LazyLoadError } from './lazy-load-error.ts';
import { readXrefExtent } from './xref-sections.ts';
import { loadOriginal } from './load-original.ts';
import type { LoadMode } from './load-original.ts';
import { readDisplayFrame } from './page-geometry.ts';
import { pageOfLeaf, presetPageCount } from './pdf-lib-internals.ts';
import { PDF_LIMITS, PdfBudget, tooComplex } from './pdf-limits.ts';
import { readRevisionTail } from './pdf-syntax.ts';
import type { RevisionTail } from './pdf-syntax.ts';

export type PrepareDocumentOptions = {
  original: Uint8Array;
  stamps: SignerStamp[];
  audit: AuditTrail;
  signingTime: Date;
  signerName?: string;
  reason?: string;
  location?: string;
  /** Told when the lazy reader gave way to pdf-lib's full parse, with the reason (for logs and metrics). */
  onReaderFallback?: (reason: string) => void;
};

/**
 * What assembling produced: the incremental update (the new file is the original followed by it),
 * each original page's size as displayed, the objects written.
 */
export type Assembly = { update: Uint8Array; pages: Array<{ width: number; height: number }>; written: PDFRef[] };

/** A prepared document as two parts: the original bytes (not copied) and the update after them. */
export type PreparedParts = { original: Uint8Array; update: Uint8Array };

export type AssembleOptions = Omit<PrepareDocumentOptions, 'stamps'> & {
  /** The stamps, or a function of the page count (the dry run stamps every page). */
  stamps: SignerStamp[] | ((pageCount: number) => SignerStamp[]);
};

/** Refusals that a second reading with pdf-lib's complete parse would only repeat. */
const FINAL: DomainErrorCode[] = [
  'PDF_TOO_COMPLEX',
  'PDF_ENCRYPTED',
  'PDF_ALREADY_SIGNED',
  'PLACEMENT_INVALID',
  'IMAGE_INVALID',
];

export async function prepareDocument(options: PrepareDocumentOptions): Promise<Uint8Array> {
  return joinParts([options.original, (await assembleDocument(options)).update]);
}

/**
 * prepareDocument without joining: the original and the update as they are, for a caller that
 * writes or hashes them in sequence (certifyPreparedParts): no copy of the original.
 */
export async function prepareDocumentParts(options: PrepareDocumentOptions): Promise<PreparedParts> {
  return { original: options.original, update: (await assembleDocument(options)).update };
}

/** prepareDocument's work, with what the dry run needs to know about it. */
export async function assembleDocument(options: AssembleOptions): Promise<Assembly> {
  const budget = new PdfBudget();
  try {
    const tail = readRevisionTail(options.original);
    try {
      return await assemble(options, tail, 'lazy', budget);
    } catch (error) {
      // A deployment fault (ConfigError: no font files) is not the reader's: no second reading.
      if (error instanceof ConfigError || (isDomainError(error) && FINAL.includes(error.code))) throw error;
      // Whatever else the lazy reader could not do is decided by pdf-lib's complete parse.
      options.onReaderFallback?.(describeFallback(error));
      return await assemble(options, tail, 'full', budget);
    }
  } catch (error) {
    if (isDomainError(error) || error instanceof ConfigError) throw error;
    throw new DomainError({ code: 'FINALIZE_FAILED', message: 'The document could not be assembled.', cause: error });
  }
}

/** Sizes as displayed, to the hundredth of a point, from the same frame the stamps are drawn in. */
function round(value: number): number {
  return Math.round(value * 100) / 100;
}

/** The reason the lazy reader gave up: the error's code or name and its message (no document content). */
function describeFallback(error: unknown): string {
  const describe = (e: unknown): string => (e instanceof Error ? `${e.name}: ${e.message}` : String(e));
  const reason = isDomainError(error) ? `${error.code} (${describe(error.cause ?? error)})` : describe(error);
  return reason.slice(0, 300);
}

async function assemble(options: AssembleOptions, tail: RevisionTail, mode: LoadMode, budget: PdfBudget) {
  // Finalization stamps a few pages of a file the dry run checked whole: it finds only those.
  const stampsKnown = typeof options.stamps !== 'function';
  const {
    doc,
    changedRefs,
    pages: pageIndex,
  } = await loadOriginal({
    original: options.original,
    tail,
    mode,
    budget,
    pages: stampsKnown ? 'on-demand' : 'all',
  });
  const { context } = doc;
  // Pages are wrapped only when drawn on; the count is the checked tree's (pdf-lib would list them all).
  presetPageCount(doc, pageIndex.count);
  const pageAt = (index: number) => {
    const { node, ref } = pageIndex.at(index);
    // The lazy reader fingerprints an object on its first lookup after the checks: look the page up
    // again before drawing on it. A page that is not an indirect object is left to the full parse.
    if (!(ref instanceof PDFRef)) {
      if (mode === 'lazy') throw new LazyLoadError('A page is a direct object in /Kids.');
      return pageOfLeaf(doc, node, ref);
    }
    context.lookup(ref);
    return pageOfLeaf(doc, node, ref);
  };
  // New objects are numbered after the highest number the file uses or its sections name, never
  // after a declared /Size (pdf-lib's complete parse only knows the objects it found).
  if (mode === 'full' && !tail.rebuilt) {
    const extent = readXrefExtent(options.original, tail, budget);
    if (extent !== undefined) context.largestObjectNumber = Math.max(context.largestObjectNumber, extent);
  }
  if (context.largestObjectNumber > PDF_LIMITS.maxObjectNumber - 100_000)
    throw tooComplex('maxObjectNumber', `Objects are numbered up to ${context.largestObjectNumber}.`);
  let stamps: SignerStamp[];
  let pages: Assembly['pages'] = [];
  if (typeof options.stamps === 'function') {
    // The dry run measures every page (finalization only the stamped ones, in drawStamps).
    pages = Array.from({ length: pageIndex.count }, (_, index) => {
      const page = pageAt(index);
      checkDrawable(page);
      const frame = readDisplayFrame({ page });
      return { width: round(frame.width), height: round(frame.height) };
    });
    stamps = options.stamps(pages.length);
  } else stamps = options.stamps;

  // Captions and the audit page draw with the embedded Noto subsets (unicode-fonts.ts): no standard font.
  await drawStamps({ doc, stamps, pages: { count: pageIndex.count, at: pageAt } });
  const auditPages = drawAuditTrail({ doc, audit: options.audit, originalLength: options.original.length });
  const widgetPage = auditPages[auditPages.length - 1]!;
  const { sigRef, sigDict } = addCertificationField({
    doc,
    widgetPage,
    signingTime: options.signingTime,
    signerName: options.signerName,
    reason: options.reason,
    location: options.location,
  });
  await doc.flush();

  const objects: UpdateObject[] = changedRefs().map((ref) => ({ ref, object: context.lookup(ref)! }));
  objects.push({ ref: sigRef, raw: sigDict });
  const update = writeUpdate({ original: options.original, tail, context, objects });
  return { update, pages, written: objects.map((entry) => entry.ref) };
}

/** What stamping a page needs from it: /Contents a stream or an array of streams, /Resources a dictionary. */
function checkDrawable(page: PDFPage): void {
  const { node } = page;
  node.Resources(); // pdf-lib throws unless it is a dictionary (or absent)
  const contents = node.Contents();
  const streams =
    contents instanceof PDFArray ? contents.asArray().map((item) => node.context.lookup(item)) : [contents];
  if (contents !== undefined && !streams.every((item) => item instanceof PDFStream))
    throw new DomainError({ code: 'PDF_INVALID', message: 'A page has damaged contents.' });
}
