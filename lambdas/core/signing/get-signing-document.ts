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

export type GetSigningDocumentOptions = {
  deps: Deps;
  token: string | undefined;
  documentId: string;
  /** The certified PDF (only once the envelope is completed) instead of the original. */
  certified?: boolean;
};

export async function getSigningDocument({
  deps,
  token,
  documentId,
  certified,
}: GetSigningDocumentOptions): Promise<SigningDocument> {
  const { envelope } = await loadSigningContext({ deps, token });
  const original = envelope.documents.find((candidate) => candidate.id === documentId);
  const signed =
    envelope.status === 'completed'
      ? envelope.certified?.find((candidate) => candidate.documentId === documentId)
      : undefined;
  const document = certified ? signed && { key: signed.key, name: signed.name, size: signed.size } : original;
  if (!document) {
    throw new DomainError({
      code: 'DOCUMENT_NOT_FOUND',
      message: certified
        ? 'The signed document is not ready yet: it is sent by email once everyone has signed.'
        : 'This document is not part of your signing request.',
    });
  }
  if (document.size > INLINE_DOCUMENT_LIMIT && deps.documents.createDownloadUrl) {
    const url = await deps.documents.createDownloadUrl({
      key: document.key,
      fileName: document.name,
      expiresInSeconds: 300,
    });
    return { kind: 'redirect', name: document.name, url };
  }
  const bytes = await deps.documents.get(document.key);
  if (!bytes) {
    throw new DomainError({ code: 'DOCUMENT_NOT_FOUND', message: 'This document is no longer available.' });
  }
  return { kind: 'bytes', name: document.name, contentType: 'application/pdf', bytes };
}
