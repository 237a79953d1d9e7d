// The bounds of reading an untrusted PDF. A sender's file may be built to make a reader inflate
// gigabytes (object, cross-reference or content stream "bombs"), walk a page tree whose nodes are
// shared (2^30 leaves from 30 objects), loop through form fields, or announce 10^9 objects. Every
// such walk and decode goes through a `PdfBudget`; crossing a bound is a `PDF_TOO_COMPLEX`
// DomainError that names the bound, never an exception from deep inside a library, a stall or an
// out-of-memory. The bounds are work counts, not wall time, so a refusal is the same on any machine.
// Stream decoding within these bounds is in bounded-stream-decode.ts (it needs pdf-lib; this does not).
import { DomainError } from '../errors.ts';

export const PDF_LIMITS = {
  /** Decoded bytes of one stream (object and cross-reference streams are the ones decoded). */
  maxStreamBytes: 64 * 1024 * 1024,
  /** Decoded bytes of all streams of one document. */
  maxDocumentInflateBytes: 160 * 1024 * 1024,
  /** Highest object number a cross-reference section may declare (PDF 1.7 Annex C limit). */
  maxObjectNumber: 8_388_607,
  /** Cross-reference entries read over all sections. */
  maxXrefEntries: 4_000_000,
  /** Cross-reference sections in the /Prev chain. */
  maxXrefSections: 4096,
  /** Objects in one object stream. */
  maxObjectsPerStream: 100_000,
  /** Pages: a request to sign is a contract, not a library. */
  maxPages: 5000,
  /** Levels of the page tree and of /Parent chains. */
  maxTreeDepth: 64,
  /** Form field nodes visited when looking for signatures. */
  maxFieldNodes: 100_000,
  /** Levels of nested form fields. */
  maxFieldDepth: 64,
  /** Objects parsed from the file (each costs one unit of work). */
  maxObjectsRead: 2_000_000,
} as const;

export type PdfLimit = keyof typeof PDF_LIMITS;

/** What the sender is told, French first (intake replies name the file before this text). */
const TOO_COMPLEX_REASONS: Record<string, { fr: string; en: string }> = {
  pages: {
    fr: `il compte plus de ${PDF_LIMITS.maxPages} pages. Scindez-le en plusieurs documents.`,
    en: `it has more than ${PDF_LIMITS.maxPages} pages. Split it into several documents.`,
  },
  default: {
    fr:
      'sa structure interne est trop complexe ou incohérente pour être lue ' +
      'sans risque (données compressées démesurées, arborescence en boucle ou ' +
      'trop profonde). Exportez-le de nouveau en PDF (« Imprimer en PDF ») et renvoyez-le.',
    en:
      'its internal structure is too complex or inconsistent to be read safely ' +
      '(oversized compressed data, a looping or too deep structure). Export it ' +
      'again as PDF ("Print to PDF") and send it again.',
  },
};

export function tooComplexReason(limit: string | undefined): { fr: string; en: string } {
  return (limit === 'maxPages' ? TOO_COMPLEX_REASONS.pages : TOO_COMPLEX_REASONS.default) as { fr: string; en: string };
}

/** The named refusal: which bound was crossed is in `details.limit` (for logs and tests). */
export function tooComplex(limit: PdfLimit | 'loop', message: string, cause?: unknown): DomainError {
  return new DomainError({ code: 'PDF_TOO_COMPLEX', message, details: { limit }, cause });
}

/** Counts the work of reading one document; one budget per inspection or preparation. */
export class PdfBudget {
  private inflated = 0;
  private objectsRead = 0;
  private xrefEntries = 0;

  /** One object parsed from the file. */
  readObject(): void {
    this.objectsRead += 1;
    if (this.objectsRead > PDF_LIMITS.maxObjectsRead)
      throw tooComplex('maxObjectsRead', `More than ${PDF_LIMITS.maxObjectsRead} objects read.`);
  }

  /** Cross-reference entries about to be read. */
  readXrefEntries(count: number): void {
    this.xrefEntries += count;
    if (this.xrefEntries > PDF_LIMITS.maxXrefEntries)
      throw tooComplex('maxXrefEntries', `More than ${PDF_LIMITS.maxXrefEntries} cross-reference entries.`);
  }

  /** The most one more stream may decode to, given what the document already decoded. */
  streamAllowance(): number {
    return Math.min(PDF_LIMITS.maxStreamBytes, PDF_LIMITS.maxDocumentInflateBytes - this.inflated);
  }

  spendInflate(bytes: number): void {
    this.inflated += bytes;
    if (this.inflated > PDF_LIMITS.maxDocumentInflateBytes)
      throw tooComplex('maxDocumentInflateBytes', 'The document decompresses to too many bytes.');
  }
}
