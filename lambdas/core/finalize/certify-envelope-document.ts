// Step "Certify" (per document): the certification signature of the assembled document, the one
// digest signed by the DigestSigner port (KMS on AWS). Assemble fixed the /ByteRange and took the
// digest of the bytes it covers, so this step reads only Assemble's update (a few KB), fills its
// /Contents and stores that signed update: the certified file is the original followed by it,
// which Deliver (reading the files to mail them anyway) joins and stores once. A run started
// before Assemble gave the digest is certified the earlier way: the parts read, hashed and joined.
import type { Deps } from '../deps.ts';
import type { CertifiedParts } from '../pdf/certify-document.ts';
import type { PreparedParts } from '../pdf/prepare-document.ts';
import { getEnvelope, listSigners, type DocumentRecord, type Envelope } from '../envelopes/envelope-records.ts';
import { putCertifiedRecord, recordSealCertificate } from '../verify/certified-index.ts';
// The signing modules only, not the PDF engine's barrel: Certify never loads pdf-lib or the fonts.
import {
  certifyDocumentWithDigest,
  certifyPreparedParts,
  fillSignature,
  findSealedContents,
} from '../pdf/certify-document.ts';
import { joinParts } from '../pdf/pdf-syntax.ts';
import { FinalizeStepError } from './finalize-errors.ts';
import {
  certifiedKey,
  signedFileName,
  signedUpdateKey,
  type AssembledDocument,
  type CertifiedDocumentRef,
  type DocumentStepInput,
} from './finalize-types.ts';

export type CertifyEnvelopeDocumentOptions = { deps: Deps } & AssembledDocument;

const trustOf = (deps: Deps) => ({
  signer: deps.digestSigner,
  timestampAuthority: deps.timestampAuthority,
  revocationSource: deps.revocationSource,
});

export async function certifyEnvelopeDocument(options: CertifyEnvelopeDocumentOptions): Promise<CertifiedDocumentRef> {
  const { appendsTo, contentDigest } = options;
  if (appendsTo && contentDigest) return certifySealedUpdate({ ...options, appendsTo, contentDigest });
  return certifyWholeDocument(options);
}

type SealedUpdateOptions = CertifyEnvelopeDocumentOptions &
  Required<Pick<AssembledDocument, 'appendsTo' | 'contentDigest'>>;

/** Signs Assemble's digest into its update; the document itself is not read. */
async function certifySealedUpdate(options: SealedUpdateOptions): Promise<CertifiedDocumentRef> {
  const { deps, envelopeId, documentId, appendsTo } = options;
  const [envelope, update] = await Promise.all([
    getEnvelope(deps.store, envelopeId),
    deps.documents.get(options.preparedKey),
  ]);
  const document = documentOf(envelope, options);
  if (!update) throw assembledMissing(documentId);
  if (!findSealedContents(update, appendsTo.size))
    throw new FinalizeStepError({
      name: 'DocumentNotFound',
      message: `The update of ${documentId} does not follow an original of ${appendsTo.size} bytes; run Assemble again`,
    });
  const signed = await fillSignature({
    tail: update,
    offset: appendsTo.size,
    contentDigest: new Uint8Array(Buffer.from(options.contentDigest, 'hex')),
    ...trustOf(deps),
  });
  const key = signedUpdateKey(envelopeId, documentId);
  await Promise.all([
    deps.documents.put({ key, body: signed, contentType: 'application/octet-stream' }),
    recordSeal(deps),
  ]);
  return {
    envelopeId,
    documentId,
    certifiedKey: certifiedKey(envelopeId, documentId),
    name: signedFileName(document.name),
    size: appendsTo.size + signed.byteLength,
    joins: { original: appendsTo, signedUpdateKey: key },
  };
}

/** The earlier way: the assembled document read and hashed here, the certified file stored whole. */
async function certifyWholeDocument(options: CertifyEnvelopeDocumentOptions): Promise<CertifiedDocumentRef> {
  const { deps, envelopeId, documentId } = options;
  // Independent reads at once: the step waits for the slowest, not for their sum.
  const [envelope, prepared, signers] = await Promise.all([
    getEnvelope(deps.store, envelopeId),
    readPrepared(deps, options),
    listSigners(deps.store, envelopeId),
  ]);
  const document = documentOf(envelope, options);
  if (!prepared) throw assembledMissing(documentId);
  const trust = trustOf(deps);
  // The original is hashed where it lies; the one copy is the certified file handed to the store.
  const { certified, sha256 } =
    prepared instanceof Uint8Array
      ? await certifyDocumentWithDigest({ prepared, ...trust })
      : joined(await certifyPreparedParts({ ...prepared, ...trust }));
  const key = certifiedKey(envelopeId, documentId);
  await deps.documents.put({ key, body: certified, contentType: 'application/pdf' });
  // What *VERIFY and verify.html report for this file (written once the file is stored).
  await Promise.all([
    recordSeal(deps),
    putCertifiedRecord(deps.store, {
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
    }),
  ]);
  return {
    envelopeId,
    documentId,
    certifiedKey: key,
    name: signedFileName(document.name),
    sha256,
    size: certified.byteLength,
  };
}

function documentOf(envelope: Envelope | undefined, { envelopeId, documentId }: DocumentStepInput): DocumentRecord {
  const document = envelope?.documents.find((d) => d.id === documentId);
  if (!document)
    throw new FinalizeStepError({
      name: 'DocumentNotFound',
      message: `No document ${documentId} in envelope ${envelopeId}`,
    });
  return document;
}

const assembledMissing = (documentId: string) =>
  new FinalizeStepError({
    name: 'DocumentNotFound',
    message: `The assembled ${documentId} is missing; run Assemble again`,
  });

/** The seal certificate, kept for good: verification recognises this service's signatures by it. */
async function recordSeal(deps: Deps): Promise<void> {
  const [sealCertificate] = await deps.digestSigner.certificateChain();
  if (sealCertificate)
    await recordSealCertificate({ store: deps.store, certificate: sealCertificate, at: deps.clock.now() });
}

function joined(result: CertifiedParts): { certified: Uint8Array; sha256: string } {
  return { certified: joinParts(result.parts), sha256: result.sha256 };
}

/** The assembled document: stored whole (runs started before update-only storage), or its parts. */
async function readPrepared(deps: Deps, options: AssembledDocument): Promise<Uint8Array | PreparedParts | undefined> {
  const { appendsTo } = options;
  if (!appendsTo) return deps.documents.get(options.preparedKey);
  const [original, update] = await Promise.all([
    deps.documents.get(appendsTo.key),
    deps.documents.get(options.preparedKey),
  ]);
  if (!original || !update) return undefined;
  if (original.byteLength !== appendsTo.size)
    throw new FinalizeStepError({
      name: 'DocumentNotFound',
      message: `The original of ${options.documentId} is not the one Assemble read; run Assemble again`,
    });
  return { original, update };
}
