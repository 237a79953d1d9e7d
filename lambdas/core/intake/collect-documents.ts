// Picks the PDF attachments of a parsed email and checks each one can be signed and certified.
// A refusal names the file and the reason, in French and English.
import { createHash } from 'node:crypto';
import type { Attachment } from 'mailparser';
import { isDomainError } from '../errors.ts';
import type { PdfPageSize } from '../pdf/inspect-pdf.ts';
import type { IntakeRefusal } from './compose-intake-replies.ts';

export type IncomingDocument = {
  name: string;
  bytes: Uint8Array;
  sha256: string;
  pageCount: number;
  pages: PdfPageSize[];
};

export type CollectDocumentsResult =
  | { ok: true; documents: IncomingDocument[] }
  | { ok: false; refusal: IntakeRefusal };

export const MAX_DOCUMENTS = 20;

export function isPdfAttachment(attachment: Attachment): boolean {
  const name = attachment.filename?.toLowerCase() ?? '';
  return attachment.contentType.toLowerCase() === 'application/pdf' || name.endsWith('.pdf');
}

/** A file name safe to show and to use in Content-Disposition, ending with .pdf. */
export function documentName(attachment: Attachment, index: number): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: a file name must not carry control characters
  const base = (attachment.filename ?? `document-${index + 1}.pdf`).replace(/[\\/\u0000-\u001f]/g, '_').trim();
  return base.toLowerCase().endsWith('.pdf') ? base : `${base}.pdf`;
}

/** The lazy PDF reader's fallback for one attachment: its position among the PDFs and the reason (no content). */
export type ReaderFallbackReport = (context: { document: number; reason: string }) => void;

export type CollectDocumentsOptions = { attachments: Attachment[]; onReaderFallback?: ReaderFallbackReport };

export async function collectDocuments(options: CollectDocumentsOptions): Promise<CollectDocumentsResult> {
  const pdfs = options.attachments.filter(isPdfAttachment);
  if (pdfs.length === 0) {
    return {
      ok: false,
      refusal: {
        code: 'NO_PDF',
        fr: 'le message ne contient aucune pièce jointe PDF. Joignez le ou les documents à signer au format PDF.',
        en: 'the message has no PDF attachment. Attach the document(s) to sign as PDF.',
      },
    };
  }
  if (pdfs.length > MAX_DOCUMENTS) {
    return {
      ok: false,
      refusal: {
        code: 'TOO_MANY_DOCUMENTS',
        fr: `le message contient ${pdfs.length} PDF ; le maximum est ${MAX_DOCUMENTS} par demande.`,
        en: `the message has ${pdfs.length} PDFs; the maximum is ${MAX_DOCUMENTS} per request.`,
      },
    };
  }
  // The PDF engine (pdf-lib, fontkit) loads with the first PDF to inspect: commands, *VERIFY and
  // refused mails never read it.
  const { describePdfRefusal, inspectPdf } = await import('../pdf/inspect-pdf.ts');
  const documents: IncomingDocument[] = [];
  for (const [index, attachment] of pdfs.entries()) {
    const name = documentName(attachment, index);
    const bytes: Uint8Array = attachment.content; // the parser's Buffer itself: no second copy
    try {
      const onReaderFallback = options.onReaderFallback;
      const inspection = await inspectPdf({
        bytes,
        fileName: name,
        onReaderFallback: onReaderFallback && ((reason) => onReaderFallback({ document: index + 1, reason })),
      });
      documents.push({ name, bytes, sha256: createHash('sha256').update(bytes).digest('hex'), ...inspection });
    } catch (error) {
      if (!isDomainError(error)) throw error;
      const reason = describePdfRefusal(error);
      return {
        ok: false,
        refusal: {
          code: error.code,
          fr: `le fichier « ${name} » ne peut pas être signé : ${reason.fr}`,
          en: `the file "${name}" cannot be signed: ${reason.en}`,
        },
      };
    }
  }
  return { ok: true, documents };
}
