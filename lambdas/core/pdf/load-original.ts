// Parses the sender's PDF with pdf-lib and decides whether it may be certified: encrypted files,
// files that already carry approval or certification signatures (signature-presence.ts) and page
// trees that are not trees (page-tree.ts) are refused. It also tells
// the incremental writer exactly which objects changed.
//
// Two ways to read: 'lazy' (lazy-context.ts: objects are parsed when looked up, through the
// cross-reference sections; only those can change) and 'full' (pdf-lib's parse of the whole file,
// every object fingerprinted), the fallback for files the lazy reader does not trust.
import { PDFCatalog, PDFDocument, ParseSpeeds } from 'pdf-lib';
import type { PDFContext, PDFRef } from 'pdf-lib';
import { DomainError, isDomainError } from '../errors.ts';
import { guardFullParse } from './guard-full-parse.ts';
import { createLazyContext, fingerprint } from './lazy-context.ts';
import { LazyLoadError } from './lazy-load-error.ts';
import { indexOfLeaves, indexPageTree, type PageIndex, readPageTree } from './page-tree.ts';
import { openDocumentOverContext } from './pdf-lib-internals.ts';
import { PdfBudget } from './pdf-limits.ts';
import type { RevisionTail } from './pdf-syntax.ts';
import { findExistingSignature, type SignatureKind } from './signature-presence.ts';

export type LoadMode = 'lazy' | 'full';

/**
 * How the pages are found: 'all' walks the whole tree and checks every /Count (intake's dry run, and
 * any complete parse); 'on-demand' (lazy reading only) goes down the counts to each page asked for,
 * on a file whose tree the dry run checked.
 */
export type PageReading = 'all' | 'on-demand';

export type LoadOriginalOptions = {
  original: Uint8Array;
  tail: RevisionTail;
  mode: LoadMode;
  budget?: PdfBudget;
  pages?: PageReading;
};

export type LoadedOriginal = {
  doc: PDFDocument;
  changedRefs: () => PDFRef[];
  /** Runs the read-only checks (the lazy reader then skips fingerprinting what they read). */
  readOnly?: <T>(check: () => T) => T;
  /** The pages in document order, as checked (looked up in read-only mode when found on demand). */
  pages: PageIndex;
};

export function fingerprintObjects(context: PDFContext): Map<string, string> {
  const prints = new Map<string, string>();
  for (const [ref, object] of context.enumerateIndirectObjects()) prints.set(ref.tag, fingerprint(object));
  return prints;
}

/** The refs of objects that are new or differ from their fingerprint. */
export function listChangedRefs(context: PDFContext, before: Map<string, string>): PDFRef[] {
  const changed: PDFRef[] = [];
  for (const [ref, object] of context.enumerateIndirectObjects()) {
    const previous = before.get(ref.tag);
    if (previous === undefined || previous !== fingerprint(object)) changed.push(ref);
  }
  return changed;
}

/** What the sender is told when the file is signed already (intake names the file before it). */
const ALREADY_SIGNED: Record<SignatureKind, string> = {
  certification: 'The PDF is already certified by another signature.',
  approval: 'The PDF already carries a digital signature.',
};

async function openDocument(options: LoadOriginalOptions, budget: PdfBudget): Promise<Omit<LoadedOriginal, 'pages'>> {
  if (options.mode === 'lazy') {
    const { context, changedRefs, readOnly } = createLazyContext(options.original, options.tail, budget);
    return { doc: openDocumentOverContext(context), changedRefs, readOnly };
  }
  // pdf-lib decodes every object and cross-reference stream while parsing: bounded first.
  guardFullParse({ original: options.original, budget });
  const doc = await PDFDocument.load(options.original, {
    ignoreEncryption: true,
    updateMetadata: false,
    parseSpeed: ParseSpeeds.Fastest,
    throwOnInvalidObject: false,
  });
  const fingerprints = fingerprintObjects(doc.context);
  return { doc, changedRefs: () => listChangedRefs(doc.context, fingerprints) };
}

/**
 * Opens the original and checks it may be certified: not encrypted, not signed, a page tree that
 * is a tree (checked before pdf-lib walks it) with at least one page.
 */
export async function loadOriginal(options: LoadOriginalOptions): Promise<LoadedOriginal> {
  const budget = options.budget ?? new PdfBudget();
  let loaded: Omit<LoadedOriginal, 'pages'>;
  try {
    loaded = await openDocument(options, budget);
  } catch (error) {
    if (isDomainError(error)) throw error;
    throw new DomainError({ code: 'PDF_INVALID', message: 'The file cannot be read as a PDF.', cause: error });
  }
  const onDemand = options.pages === 'on-demand' && options.mode === 'lazy';
  const readOnly = loaded.readOnly ?? (<T>(check: () => T) => check());
  try {
    const pages = readOnly(() => checkOriginal(loaded.doc, onDemand));
    // Nodes met on the way down to a page are read only; the page itself is printed by its next lookup.
    return {
      ...loaded,
      pages: onDemand ? { count: pages.count, at: (index) => readOnly(() => pages.at(index)) } : pages,
    };
  } catch (error) {
    // The lazy reader's own failures go back to the caller, which falls back to the complete parse.
    if (isDomainError(error) || error instanceof LazyLoadError) throw error;
    throw new DomainError({ code: 'PDF_INVALID', message: 'The PDF structure cannot be read.', cause: error });
  }
}

function checkOriginal(doc: PDFDocument, onDemand: boolean): PageIndex {
  if (doc.context.trailerInfo.Encrypt || doc.isEncrypted) {
    throw new DomainError({ code: 'PDF_ENCRYPTED', message: 'The PDF is encrypted or password-protected.' });
  }
  if (!(doc.catalog instanceof PDFCatalog))
    throw new DomainError({ code: 'PDF_INVALID', message: 'The PDF has no document catalog.' });
  const signature = findExistingSignature({ doc });
  if (signature) throw new DomainError({ code: 'PDF_ALREADY_SIGNED', message: ALREADY_SIGNED[signature] });
  const pages = onDemand ? indexPageTree({ doc }) : indexOfLeaves(readPageTree({ doc }));
  if (pages.count === 0) throw new DomainError({ code: 'PDF_INVALID', message: 'The PDF has no pages.' });
  return pages;
}
