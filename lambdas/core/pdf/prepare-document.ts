// Assemble: the original bytes followed by one incremental update holding the stamps, the audit
// trail, and the certification signature placeholder (see certify-document.ts for the filling).
import { DomainError, isDomainError } from '../errors.ts';
import { addCertificationField } from './add-certification-field.ts';
import { drawAuditTrail } from './draw-audit-trail.ts';
import type { AuditTrail } from './draw-audit-trail.ts';
import { drawStamps } from './draw-stamps.ts';
import type { SignerStamp } from './draw-stamps.ts';
import { writeIncrementalUpdate } from './incremental-writer.ts';
import type { UpdateObject } from './incremental-writer.ts';
import { loadOriginal } from './load-original.ts';
import type { LoadMode } from './load-original.ts';
import { readRevisionTail } from './pdf-syntax.ts';
import { embedStampFonts } from './stamp-fonts.ts';
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

export async function prepareDocument(options: PrepareDocumentOptions): Promise<Uint8Array> {
  try {
    const tail = readRevisionTail(options.original);
    try {
      return await assemble(options, tail, 'lazy');
    } catch (error) {
      // Whatever the lazy reader could not do (or refused) is decided by pdf-lib's complete parse.
      options.onReaderFallback?.(describeFallback(error));
      return await assemble(options, tail, 'full');
    }
  } catch (error) {
    if (isDomainError(error)) throw error;
    throw new DomainError({ code: 'FINALIZE_FAILED', message: 'The document could not be assembled.', cause: error });
  }
}

/** The reason the lazy reader gave up: the error's code or name and its message (no document content). */
function describeFallback(error: unknown): string {
  const describe = (e: unknown): string => (e instanceof Error ? `${e.name}: ${e.message}` : String(e));
  const reason = isDomainError(error) ? `${error.code} (${describe(error.cause ?? error)})` : describe(error);
  return reason.slice(0, 300);
}

async function assemble(options: PrepareDocumentOptions, tail: RevisionTail, mode: LoadMode): Promise<Uint8Array> {
  const { doc, changedRefs } = await loadOriginal({ original: options.original, tail, mode });
  const { context } = doc;
  // New object numbers must not collide with numbers the original declared (even free ones).
  context.largestObjectNumber = Math.max(context.largestObjectNumber, tail.declaredSize - 1);

  const { regular: font, bold } = await embedStampFonts(doc);
  await drawStamps({ doc, stamps: options.stamps, font });
  const auditPages = drawAuditTrail({ doc, audit: options.audit, originalLength: options.original.length, font, bold });
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
  return writeIncrementalUpdate({ original: options.original, tail, context, objects });
}
