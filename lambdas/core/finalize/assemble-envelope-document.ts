// Step "Assemble" (per document): the original bytes plus one incremental update carrying every
// signer's stamp where they placed it, the audit trail pages and the certification placeholder,
// whose /ByteRange is fixed here, with the digest of the bytes it covers (sealByteRange): this step
// holds the original anyway, so Certify signs that digest and never reads the document. Only the
// update is stored (a few KB, not a second copy of the document).
import { listAuditEvents } from '../audit/audit-events.ts';
import type { Deps } from '../deps.ts';
import { getEnvelope, listSigners } from '../envelopes/envelope-records.ts';
import { prepareDocumentParts, sealByteRange, type AuditTrail, type SignerStamp } from '../pdf/index.ts';
import { describeAuditEvent } from './describe-audit-event.ts';
import { VERIFY_PAGE } from '../verify/compose-verification-report.ts';
import { FinalizeStepError } from './finalize-errors.ts';
import { readHashedDocument } from './read-hashed-document.ts';
import { preparedUpdateKey, type AssembledDocument, type DocumentToAssemble } from './finalize-types.ts';

export type AssembleEnvelopeDocumentOptions = {
  deps: Deps;
  /** Told when the PDF needed pdf-lib's full parse (the runtime logs it and counts it). */
  onReaderFallback?: (reason: string) => void;
} & DocumentToAssemble;

function caption(name: string, signedAt: string): string {
  return `${name} — ${signedAt.slice(0, 16).replace('T', ' ')} UTC`;
}

export async function assembleEnvelopeDocument(options: AssembleEnvelopeDocumentOptions): Promise<AssembledDocument> {
  const { deps, envelopeId, documentId } = options;
  // Independent reads at once (the records and the original Prepare named, then the images): the
  // step waits for the slowest, not for their sum.
  // Hashed as it arrives: the signature's digest starts with the original's bytes.
  const early = options.originalKey ? readHashedDocument(deps.documents, options.originalKey) : undefined;
  early?.catch(() => undefined); // awaited below, once the record confirms the key
  const [envelope, signers, events] = await Promise.all([
    getEnvelope(deps.store, envelopeId),
    listSigners(deps.store, envelopeId),
    listAuditEvents({ store: deps.store, envelopeId }),
  ]);
  const document = envelope?.documents.find((d) => d.id === documentId);
  if (!envelope || !document)
    throw new FinalizeStepError({
      name: 'DocumentNotFound',
      message: `No document ${documentId} in envelope ${envelopeId}`,
    });
  const stamping = signers.flatMap((signer) => {
    const placements = (signer.placements ?? []).filter((p) => p.documentId === documentId);
    return placements.length === 0 ? [] : [{ signer, placements }];
  });
  const [read, ...images] = await Promise.all([
    early && options.originalKey === document.key ? early : readHashedDocument(deps.documents, document.key),
    ...stamping.map(({ signer }) => (signer.imageKey ? deps.documents.get(signer.imageKey) : undefined)),
  ]);
  const original = read?.bytes;
  if (!read || !original)
    throw new FinalizeStepError({
      name: 'DocumentNotFound',
      message: `The original of ${documentId} is missing from the documents store`,
    });
  // The bytes intake received, checked and hashed (the audit page prints that hash, and the pages
  // are found by the page tree counts intake verified): anything else is not sealed.
  if (read.hash.copy().digest('hex') !== document.sha256)
    throw new FinalizeStepError({
      name: 'OriginalChanged',
      message: `The stored original of ${documentId} no longer has the SHA-256 recorded at intake`,
    });
  const stamps: SignerStamp[] = stamping.map(({ signer, placements }, index) => {
    const image = images[index];
    if (!image)
      throw new FinalizeStepError({
        name: 'SignatureImageMissing',
        message: `Signer ${signer.position}'s signature image is missing`,
      });
    return {
      image,
      caption: caption(signer.name, signer.signedAt ?? ''),
      // A name in a script no font draws still leaves the stamp naming its signer.
      fallbackCaption: caption(`${signer.name} <${signer.email}>`, signer.signedAt ?? ''),
      placements: placements.map(({ page, x, y, width, height }) => ({ page, x, y, width, height })),
    };
  });
  const now = deps.clock.now();
  const audit: AuditTrail = {
    envelopeId,
    documentName: document.name,
    originalSha256: document.sha256,
    subject: envelope.subject,
    sender: envelope.sender,
    createdAt: envelope.createdAt,
    completedAt: now.toISOString(),
    signers: signers.map((s) => ({
      position: s.position,
      name: s.name,
      email: s.email,
      phone: s.phone,
      otpVerifiedAt: s.phoneVerifiedAt,
      signedAt: s.signedAt,
      ip: s.evidence?.ip,
      userAgent: s.evidence?.userAgent,
      consent: s.evidence?.consent === true,
    })),
    events: events.map((event) => ({ at: event.at, description: describeAuditEvent(event, signers) })),
    verification: {
      level: deps.timestampAuthority ? 'B-T' : 'B-B',
      timestampAuthority: deps.timestampAuthority?.describe(),
      verifyUrl: `${deps.settings.publicUrl}/${VERIFY_PAGE}`,
      verifyAddress: deps.settings.inboundAddresses[0] ?? deps.settings.serviceAddress,
    },
  };
  const { update } = await prepareDocumentParts({
    original,
    stamps,
    audit,
    signingTime: now,
    signerName: deps.settings.serviceName,
    reason: `Signé électroniquement par ${signers.map((s) => s.name).join(', ')} / Electronically signed`,
    onReaderFallback: options.onReaderFallback,
  });
  // The update alone is stored (no joined copy anywhere), its /ByteRange final.
  const sealed = await sealByteRange({ head: [original], headHash: read.hash, tail: update });
  const key = preparedUpdateKey(envelopeId, documentId);
  await deps.documents.put({ key, body: sealed.tail, contentType: 'application/octet-stream' });
  return {
    envelopeId,
    documentId,
    preparedKey: key,
    appendsTo: { key: document.key, size: original.byteLength },
    contentDigest: Buffer.from(sealed.contentDigest).toString('hex'),
  };
}
