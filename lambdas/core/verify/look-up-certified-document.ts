// What verify.html asks the service: the seal certificates (to recognise this service's
// signature in the browser) and, by the SHA-256 of a certified file computed in the browser, the
// envelope facts of the report. The document itself is never sent. The public view names the
// signers and their times but not their addresses (anyone holding the hash may ask).
import type { Deps } from '../deps.ts';
import { DomainError } from '../errors.ts';
import { findCertifiedRecord, listSealCertificates } from './certified-index.ts';

export type SealCertificatesView = { sealCertificates: string[] };

export async function getSealCertificates(options: { deps: Deps }): Promise<SealCertificatesView> {
  const certificates = await listSealCertificates(options.deps.store);
  return { sealCertificates: certificates.map((der) => Buffer.from(der).toString('base64')) };
}

export type CertifiedDocumentView = {
  envelopeId: string;
  documentName: string;
  subject: string;
  originalSha256: string;
  certifiedAt: string;
  signers: Array<{ name: string; signedAt: string }>;
};

export async function lookUpCertifiedDocument(options: { deps: Deps; sha256: string }): Promise<CertifiedDocumentView> {
  const record = await findCertifiedRecord(options.deps.store, options.sha256);
  if (!record)
    throw new DomainError({
      code: 'DOCUMENT_NOT_FOUND',
      message: 'No document certified by this service has this hash.',
    });
  return {
    envelopeId: record.envelopeId,
    documentName: record.documentName,
    subject: record.subject,
    originalSha256: record.originalSha256,
    certifiedAt: record.certifiedAt,
    signers: record.signers.map(({ name, signedAt }) => ({ name, signedAt })),
  };
}
