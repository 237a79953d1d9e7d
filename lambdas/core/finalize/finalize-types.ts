// The inputs and outputs of the finalization steps: ids and storage keys only, never document
// bytes (Step Functions passes at most 256 KiB between states).

export type FinalizeInput = { envelopeId: string };

export type DocumentStepInput = { envelopeId: string; documentId: string };

/** A document as Prepare hands it to Assemble: with its original's key, read while the records are. */
export type DocumentToAssemble = DocumentStepInput & { originalKey?: string };

export type AssembledDocument = DocumentStepInput & {
  preparedKey: string;
  /**
   * Set when `preparedKey` holds only the incremental update Assemble appended: the prepared
   * document is then this original (of this size) followed by it. Absent: `preparedKey` holds the
   * whole prepared document (runs started before the update was stored alone).
   */
  appendsTo?: { key: string; size: number };
  /**
   * Set when Assemble also fixed the /ByteRange of the update (certify-document.ts, sealByteRange):
   * the SHA-256 (hex) of the bytes the signature covers. Certify then signs it without reading the
   * document. Absent (runs started before): Certify reads the parts and hashes them itself.
   */
  contentDigest?: string;
};

export type CertifiedDocumentRef = DocumentStepInput & {
  /** Where the certified PDF is (or, with `joins`, will be once Deliver has stored it). */
  certifiedKey: string;
  name: string;
  /** SHA-256 (hex) of the certified file; absent with `joins` (Deliver computes it). */
  sha256?: string;
  size: number;
  /**
   * Set when Certify stored only its signed update: the certified file is `original` followed by
   * it. Deliver joins them once, stores the file at `certifiedKey` and records its SHA-256.
   */
  joins?: { original: { key: string; size: number }; signedUpdateKey: string };
};

export type PreparedFinalization = { envelopeId: string; documents: DocumentToAssemble[] };

export type DeliverInput = { envelopeId: string; documents: CertifiedDocumentRef[] };

/** What Deliver learnt of each certified file it stored (Complete records it). */
export type StoredCertifiedDocument = { documentId: string; sha256: string };

/** Deliver's result, at `$.delivery` of the state the Complete step receives. */
export type DeliveryResult = {
  envelopeId: string;
  delivered: number;
  mode: 'attached' | 'link';
  /** The certified files Deliver joined and stored (documents Certify gave as `joins`). */
  stored?: StoredCertifiedDocument[];
};

export type CompleteInput = DeliverInput & { delivery?: Pick<DeliveryResult, 'stored'> };

export type FailureInput = { envelopeId: string; error?: { Error?: string; Cause?: string } };

export const preparedKey = (envelopeId: string, documentId: string) =>
  `envelopes/${envelopeId}/prepared/${documentId}.pdf`;
/** The incremental update alone (not a PDF by itself: it follows the original's bytes). */
export const preparedUpdateKey = (envelopeId: string, documentId: string) =>
  `envelopes/${envelopeId}/prepared/${documentId}.update`;
/** Certify's update, signed: the certified file is the original followed by it. */
export const signedUpdateKey = (envelopeId: string, documentId: string) =>
  `envelopes/${envelopeId}/prepared/${documentId}.signed`;
export const certifiedKey = (envelopeId: string, documentId: string) =>
  `envelopes/${envelopeId}/certified/${documentId}.pdf`;

/** `contrat.pdf` -> `contrat-signe.pdf`: the file name says it is the signed one. */
export function signedFileName(name: string): string {
  const base = name.replace(/\.pdf$/i, '');
  return `${base}-signe.pdf`;
}
