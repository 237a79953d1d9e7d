// GET /api/signing/documents/{id}: the original PDF of one document of the signer's envelope.
// Large files go through a short-lived download URL: a Lambda response cannot carry them.
import type { Deps } from '../deps.ts';
import { DomainError } from '../errors.ts';
import { loadSigningContext } from './signing-context.ts';

/** Above this size (bytes) the PDF is not inlined: base64 of it would pass API Gateway's 6 MB. */
export const INLINE_DOCUMENT_LIMIT = 4 * 1024 * 1024;

export type SigningDocument =
  | { kind: 'bytes'; name: string; contentType: 'application/pdf'; bytes: Uint8Array }
  | { kind: 'redirect'; name: string; url: string };

export type GetSigningDocumentOptions = { deps: Deps; token: string | undefined; documentId: string };

export async function getSigningDocument({ deps, token, documentId }: GetSigningDocumentOptions): Promise<SigningDocument> {
  const { envelope } = await loadSigningContext({ deps, token });
  const document = envelope.documents.find((candidate) => candidate.id === documentId);
  if (!document) {
    throw new DomainError({ code: 'DOCUMENT_NOT_FOUND', message: 'This document is not part of your signing request.' });
  }
  if (document.size > INLINE_DOCUMENT_LIMIT && deps.documents.createDownloadUrl) {
    const url = await deps.documents.createDownloadUrl({ key: document.key, fileName: document.name, expiresInSeconds: 300 });
    return { kind: 'redirect', name: document.name, url };
  }
  const bytes = await deps.documents.get(document.key);
  if (!bytes) {
    throw new DomainError({ code: 'DOCUMENT_NOT_FOUND', message: 'This document is no longer available.' });
  }
  return { kind: 'bytes', name: document.name, contentType: 'application/pdf', bytes };
}
