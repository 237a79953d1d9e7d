// Parses the sender's PDF with pdf-lib and decides whether it may be certified: encrypted files
// and files that already carry approval or certification signatures are refused. It also
// fingerprints every object so the incremental writer can tell exactly what changed.
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRef, PDFStream, ParseSpeeds } from 'pdf-lib';
import type { PDFContext, PDFObject } from 'pdf-lib';
import { DomainError } from '../errors.ts';

export type LoadOriginalOptions = { original: Uint8Array };

export type LoadedOriginal = { doc: PDFDocument; fingerprints: Map<string, string> };

function fingerprint(object: PDFObject): string {
  // Existing streams are never rewritten by the engine; only their dictionary can change.
  return object instanceof PDFStream ? `stream:${object.dict.toString()}` : object.toString();
}

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
    throw new DomainError({ code: 'PDF_ALREADY_SIGNED', message: 'The PDF is already certified by another signature.' });
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

export async function loadOriginal(options: LoadOriginalOptions): Promise<LoadedOriginal> {
  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(options.original, {
      ignoreEncryption: true,
      updateMetadata: false,
      parseSpeed: ParseSpeeds.Fastest,
      throwOnInvalidObject: false,
    });
  } catch (error) {
    throw new DomainError({ code: 'PDF_INVALID', message: 'The file cannot be read as a PDF.', cause: error });
  }
  if (doc.context.trailerInfo.Encrypt || doc.isEncrypted) {
    throw new DomainError({ code: 'PDF_ENCRYPTED', message: 'The PDF is encrypted or password-protected.' });
  }
  refuseSigned(doc);
  if (doc.getPageCount() === 0) throw new DomainError({ code: 'PDF_INVALID', message: 'The PDF has no pages.' });
  return { doc, fingerprints: fingerprintObjects(doc.context) };
}
