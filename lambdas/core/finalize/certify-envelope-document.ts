// Step "Certify" (per document): fills the certification signature of the assembled document,
// the one digest signed by the DigestSigner port (KMS on AWS), and stores the certified PDF.
import type { Deps } from '../deps.ts';
import { getEnvelope, listSigners } from '../envelopes/envelope-records.ts';
import { putCertifiedRecord, recordSealCertificate } from '../verify/certified-index.ts';
import { certifyDocumentWithDigest } from '../pdf/index.ts';
import { FinalizeStepError } from './finalize-errors.ts';
import { certifiedKey, signedFileName, type AssembledDocument, type CertifiedDocumentRef } from './finalize-types.ts';

export type CertifyEnvelopeDocumentOptions = { deps: Deps } & AssembledDocument;

export async function certifyEnvelopeDocument(options: CertifyEnvelopeDocumentOptions): Promise<CertifiedDocumentRef> {
  const { deps, envelopeId, documentId } = options;
  const envelope = await getEnvelope(deps.store, envelopeId);
  const document = envelope?.documents.find((d) => d.id === documentId);
  if (!document)
    throw new FinalizeStepError({
      name: 'DocumentNotFound',
      message: `No document ${documentId} in envelope ${envelopeId}`,
    });
  const prepared = await deps.documents.get(options.preparedKey);
  if (!prepared)
    throw new FinalizeStepError({
      name: 'DocumentNotFound',
      message: `The assembled ${documentId} is missing; run Assemble again`,
    });
  const { certified, sha256 } = await certifyDocumentWithDigest({
    prepared,
    signer: deps.digestSigner,
    timestampAuthority: deps.timestampAuthority,
    revocationSource: deps.revocationSource,
  });
  const key = certifiedKey(envelopeId, documentId);
  await deps.documents.put({ key, body: certified, contentType: 'application/pdf' });
  // What *VERIFY and verify.html report for this file, kept after the envelope's records expire.
  const [sealCertificate] = await deps.digestSigner.certificateChain();
  if (sealCertificate)
    await recordSealCertificate({ store: deps.store, certificate: sealCertificate, at: deps.clock.now() });
  const signers = await listSigners(deps.store, envelopeId);
  await putCertifiedRecord(deps.store, {
    sha256,
    envelopeId,
    documentId,
    documentName: document.name,
    subject: envelope!.subject,
    originalSha256: document.sha256,
    certifiedAt: deps.clock.now().toISOString(),
    signers: signers
      .filter((signer) => signer.signedAt)
      .map((signer) => ({ name: signer.name, email: signer.email, signedAt: signer.signedAt! })),
  });
  return {
    envelopeId,
    documentId,
    certifiedKey: key,
    name: signedFileName(document.name),
    sha256,
    size: certified.byteLength,
  };
}
