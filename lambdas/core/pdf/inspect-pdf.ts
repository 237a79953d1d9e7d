// Checks that an attachment is a PDF the service can certify, and reads what the signing page
// needs: the page count and each page's size as displayed (inside the CropBox, after /Rotate).
import { PDFArray, PDFDict, PDFDocument, PDFName, type PDFObject, PDFRef } from 'pdf-lib';
import { DomainError } from '../errors.ts';

export type PdfPageSize = { width: number; height: number };
export type PdfInspection = { pageCount: number; pages: PdfPageSize[] };
export type InspectPdfOptions = { bytes: Uint8Array; fileName: string };

const HEADER = Buffer.from('%PDF-');
const EOF_MARK = Buffer.from('%%EOF');

function refuse(code: 'PDF_INVALID' | 'PDF_ENCRYPTED' | 'PDF_ALREADY_SIGNED', message: string, cause?: unknown): never {
  throw new DomainError({ code, message, cause });
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

function displayedSize(page: ReturnType<PDFDocument['getPage']>): PdfPageSize {
  const box = page.getCropBox();
  const rotation = ((page.getRotation().angle % 360) + 360) % 360;
  const quarterTurn = rotation === 90 || rotation === 270;
  return quarterTurn
    ? { width: round(box.height), height: round(box.width) }
    : { width: round(box.width), height: round(box.height) };
}

/** True when a field's value is a signature that locks the document (not an empty field, not UR3). */
function isApprovalSignature(doc: PDFDocument, value: PDFObject | undefined): boolean {
  const dict = value instanceof PDFRef ? doc.context.lookup(value) : value;
  if (!(dict instanceof PDFDict)) return false;
  const references = dict.lookup(PDFName.of('Reference'));
  if (references instanceof PDFArray) {
    for (let i = 0; i < references.size(); i += 1) {
      const reference = references.lookup(i);
      if (reference instanceof PDFDict && reference.lookup(PDFName.of('TransformMethod'))?.toString() === '/UR3')
        return false;
    }
  }
  return dict.has(PDFName.of('ByteRange')) || dict.has(PDFName.of('Contents'));
}

function hasSignedField(doc: PDFDocument, field: PDFDict, depth: number): boolean {
  if (depth > 32) return false;
  const type = field.lookup(PDFName.of('FT'));
  if (type?.toString() === '/Sig' && isApprovalSignature(doc, field.get(PDFName.of('V')))) return true;
  const kids = field.lookup(PDFName.of('Kids'));
  if (kids instanceof PDFArray) {
    for (let i = 0; i < kids.size(); i += 1) {
      const kid = kids.lookup(i);
      if (kid instanceof PDFDict && hasSignedField(doc, kid, depth + 1)) return true;
    }
  }
  return false;
}

function carriesSignature(doc: PDFDocument): boolean {
  const perms = doc.catalog.lookup(PDFName.of('Perms'));
  if (perms instanceof PDFDict && perms.has(PDFName.of('DocMDP'))) return true;
  const form = doc.catalog.lookup(PDFName.of('AcroForm'));
  if (form instanceof PDFDict) {
    const fields = form.lookup(PDFName.of('Fields'));
    if (fields instanceof PDFArray) {
      for (let i = 0; i < fields.size(); i += 1) {
        const field = fields.lookup(i);
        if (field instanceof PDFDict && hasSignedField(doc, field, 0)) return true;
      }
    }
  }
  return false;
}

export async function inspectPdf(options: InspectPdfOptions): Promise<PdfInspection> {
  const bytes = Buffer.from(options.bytes.buffer, options.bytes.byteOffset, options.bytes.byteLength);
  const name = options.fileName;
  const headerAt = bytes.subarray(0, 1024).indexOf(HEADER);
  if (headerAt < 0) {
    refuse(
      'PDF_INVALID',
      `"${name}" is not a PDF file (its content does not start with a PDF header). Export it again as PDF and resend.`,
    );
  }
  if (bytes.subarray(Math.max(0, bytes.length - 2048)).indexOf(EOF_MARK) < 0) {
    refuse(
      'PDF_INVALID',
      `"${name}" is incomplete: the file ends before the end of the PDF (truncated download or copy). Resend the complete file.`,
    );
  }
  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(options.bytes, {
      ignoreEncryption: true,
      updateMetadata: false,
      throwOnInvalidObject: false,
    });
  } catch (error) {
    refuse(
      'PDF_INVALID',
      `"${name}" could not be read as a PDF (the file is damaged). Export it again as PDF and resend.`,
      error,
    );
  }
  if (doc.isEncrypted) {
    refuse(
      'PDF_ENCRYPTED',
      `"${name}" is protected by a password or encryption. Remove the protection (save an unprotected copy) and resend.`,
    );
  }
  if (carriesSignature(doc)) {
    refuse(
      'PDF_ALREADY_SIGNED',
      `"${name}" already carries a digital signature; certifying it again would invalidate that signature. Send the unsigned original.`,
    );
  }
  let pages: PdfPageSize[];
  try {
    pages = doc.getPages().map(displayedSize);
  } catch (error) {
    refuse(
      'PDF_INVALID',
      `"${name}" has a damaged page tree and cannot be displayed reliably. Export it again as PDF and resend.`,
      error,
    );
  }
  if (pages.length === 0) refuse('PDF_INVALID', `"${name}" has no pages.`);
  if (pages.some((page) => !(page.width > 0 && page.height > 0))) {
    refuse('PDF_INVALID', `"${name}" has a page with no visible area (empty page box).`);
  }
  return { pageCount: pages.length, pages };
}
