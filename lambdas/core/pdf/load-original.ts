// Parses the sender's PDF with pdf-lib and decides whether it may be certified: encrypted files
// and files that already carry approval or certification signatures are refused. It also tells
// the incremental writer exactly which objects changed.
//
// Two ways to read: 'lazy' (lazy-context.ts: objects are parsed when looked up, through the
// cross-reference sections; only those can change) and 'full' (pdf-lib's parse of the whole file,
// every object fingerprinted), the fallback for files the lazy reader does not trust.
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRef, ParseSpeeds } from 'pdf-lib';
import type { PDFContext, PDFObject } from 'pdf-lib';
import { DomainError } from '../errors.ts';
import { createLazyContext, fingerprint } from './lazy-context.ts';
import type { RevisionTail } from './pdf-syntax.ts';

export type LoadMode = 'lazy' | 'full';

export type LoadOriginalOptions = { original: Uint8Array; tail: RevisionTail; mode: LoadMode };

export type LoadedOriginal = { doc: PDFDocument; changedRefs: () => PDFRef[] };

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

function lookupDict(context: PDFContext, value: PDFObject | undefined): PDFDict | undefined {
  const resolved = value instanceof PDFRef ? context.lookup(value) : value;
  return resolved instanceof PDFDict ? resolved : undefined;
}

function hasSignedField(context: PDFContext, field: PDFDict, depth: number): boolean {
  if (depth > 32) return false;
  const type = field.get(PDFName.of('FT'));
  const value = field.get(PDFName.of('V'));
  if (type === PDFName.of('Sig') && value !== undefined && lookupDict(context, value)) return true;
  const kids = context.lookup(field.get(PDFName.of('Kids')));
  if (kids instanceof PDFArray) {
    for (let i = 0; i < kids.size(); i += 1) {
      const kid = lookupDict(context, kids.get(i));
      if (kid && hasSignedField(context, kid, depth + 1)) return true;
    }
  }
  return false;
}

function refuseSigned(doc: PDFDocument): void {
  const { context, catalog } = doc;
  const perms = lookupDict(context, catalog.get(PDFName.of('Perms')));
  if (perms?.get(PDFName.of('DocMDP'))) {
    throw new DomainError({
      code: 'PDF_ALREADY_SIGNED',
      message: 'The PDF is already certified by another signature.',
    });
  }
  const form = lookupDict(context, catalog.get(PDFName.of('AcroForm')));
  const fields = form ? context.lookup(form.get(PDFName.of('Fields'))) : undefined;
  if (fields instanceof PDFArray) {
    for (let i = 0; i < fields.size(); i += 1) {
      const field = lookupDict(context, fields.get(i));
      if (field && hasSignedField(context, field, 0)) {
        throw new DomainError({ code: 'PDF_ALREADY_SIGNED', message: 'The PDF already carries a digital signature.' });
      }
    }
  }
}

type DocumentConstructor = new (context: PDFContext, ignoreEncryption: boolean, updateMetadata: boolean) => PDFDocument;

async function openDocument(options: LoadOriginalOptions): Promise<LoadedOriginal> {
  if (options.mode === 'lazy') {
    const { context, changedRefs } = createLazyContext(options.original, options.tail);
    // pdf-lib's PDFDocument.load is parse + this constructor.
    const doc = new (PDFDocument as unknown as DocumentConstructor)(context, true, false);
    return { doc, changedRefs };
  }
  const doc = await PDFDocument.load(options.original, {
    ignoreEncryption: true,
    updateMetadata: false,
    parseSpeed: ParseSpeeds.Fastest,
    throwOnInvalidObject: false,
  });
  const fingerprints = fingerprintObjects(doc.context);
  return { doc, changedRefs: () => listChangedRefs(doc.context, fingerprints) };
}

export async function loadOriginal(options: LoadOriginalOptions): Promise<LoadedOriginal> {
  let loaded: LoadedOriginal;
  try {
    loaded = await openDocument(options);
  } catch (error) {
    throw new DomainError({ code: 'PDF_INVALID', message: 'The file cannot be read as a PDF.', cause: error });
  }
  const { doc } = loaded;
  if (doc.context.trailerInfo.Encrypt || doc.isEncrypted) {
    throw new DomainError({ code: 'PDF_ENCRYPTED', message: 'The PDF is encrypted or password-protected.' });
  }
  refuseSigned(doc);
  if (doc.getPageCount() === 0) throw new DomainError({ code: 'PDF_INVALID', message: 'The PDF has no pages.' });
  return loaded;
}
