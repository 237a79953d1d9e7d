// Checks that an attachment is a PDF the service can certify, and reads what the signing page
// needs: the page count and each page's size as displayed (inside the CropBox clipped to the
// MediaBox, after /Rotate: page-geometry.ts, the frame the stamps are drawn in).
//
// "Can certify" is decided by doing it: a dry run of finalization's Assemble step on the file
// (dry-run-preparation.ts), within the bounds of pdf-limits.ts. A refusal is a DomainError
// (PDF_INVALID, PDF_ENCRYPTED, PDF_ALREADY_SIGNED, PDF_TOO_COMPLEX) whose reason for the sender,
// French and English, is `describePdfRefusal`.
import { ConfigError, DomainError, isDomainError } from '../errors.ts';
import { dryRunPreparation } from './dry-run-preparation.ts';
import type { PdfPageSize } from './dry-run-preparation.ts';
import { tooComplexReason } from './pdf-limits.ts';

export type { PdfPageSize };
export type PdfInspection = { pageCount: number; pages: PdfPageSize[] };
export type InspectPdfOptions = {
  bytes: Uint8Array;
  fileName: string;
  /** Told when the lazy reader gave way to pdf-lib's full parse, with the reason (for logs). */
  onReaderFallback?: (reason: string) => void;
};

const HEADER = Buffer.from('%PDF-');
const EOF_MARK = Buffer.from('%%EOF');

type PdfRefusalCode = 'PDF_INVALID' | 'PDF_ENCRYPTED' | 'PDF_ALREADY_SIGNED' | 'PDF_TOO_COMPLEX';

function refuse(code: PdfRefusalCode, message: string, cause?: unknown): never {
  throw new DomainError({ code, message, cause });
}

const REASONS: Record<Exclude<PdfRefusalCode, 'PDF_TOO_COMPLEX'>, { fr: string; en: string }> = {
  PDF_ENCRYPTED: {
    fr: 'il est protégé par un mot de passe ou chiffré. Enregistrez une copie non protégée et renvoyez-la.',
    en: 'it is password-protected or encrypted. Save an unprotected copy and send it again.',
  },
  PDF_ALREADY_SIGNED: {
    fr:
      "il porte déjà une signature électronique, qu'une nouvelle certification " +
      "invaliderait. Envoyez l'original non signé.",
    en:
      'it already carries a digital signature, which certifying it again would ' +
      'invalidate. Send the unsigned original.',
  },
  PDF_INVALID: {
    fr:
      "ce n'est pas un PDF lisible (fichier endommagé, tronqué ou " +
      "d'un autre format). Exportez-le de nouveau en PDF.",
    en: 'it is not a readable PDF (damaged, truncated or another format). Export it again as PDF.',
  },
};

/** The reason given to the sender for a refusal of inspectPdf (it follows "the file X cannot be signed:"). */
export function describePdfRefusal(error: DomainError): { fr: string; en: string } {
  if (error.code === 'PDF_TOO_COMPLEX') return tooComplexReason(String(error.details.limit ?? ''));
  return REASONS[error.code as keyof typeof REASONS] ?? REASONS.PDF_INVALID;
}

export async function inspectPdf(options: InspectPdfOptions): Promise<PdfInspection> {
  const bytes = Buffer.from(options.bytes.buffer, options.bytes.byteOffset, options.bytes.byteLength);
  const name = options.fileName;
  if (bytes.subarray(0, 1024).indexOf(HEADER) < 0) {
    refuse(
      'PDF_INVALID',
      `"${name}" is not a PDF file (its content does not start with a PDF header). Export it again as PDF and resend.`,
    );
  }
  if (bytes.subarray(Math.max(0, bytes.length - 2048)).indexOf(EOF_MARK) < 0) {
    refuse(
      'PDF_INVALID',
      `"${name}" is incomplete: the file ends before the end of the PDF ` +
        '(truncated download or copy). Resend the complete file.',
    );
  }
  try {
    return await dryRunPreparation({ original: options.bytes, onReaderFallback: options.onReaderFallback });
  } catch (error) {
    // Our deployment's fault (fonts missing): the sender's file is not to blame, so no refusal.
    if (error instanceof ConfigError) throw error;
    if (isDomainError(error) && error.code !== 'FINALIZE_FAILED' && error.code !== 'IMAGE_INVALID') {
      if (error.code === 'PDF_INVALID' || error.code === 'PLACEMENT_INVALID')
        refuse('PDF_INVALID', `"${name}" cannot be certified: ${error.message}`, error);
      throw error;
    }
    refuse('PDF_INVALID', `"${name}" could not be prepared for certification (the file is damaged).`, error);
  }
}
