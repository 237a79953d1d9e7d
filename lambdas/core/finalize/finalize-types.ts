// The inputs and outputs of the finalization steps: ids and storage keys only, never document
// bytes (Step Functions passes at most 256 KiB between states).

export type FinalizeInput = { envelopeId: string };

export type DocumentStepInput = { envelopeId: string; documentId: string };

export type AssembledDocument = DocumentStepInput & {
  preparedKey: string;
  /**
   * Set when `preparedKey` holds only the incremental update Assemble appended: the prepared
   * document is then this original (of this size) followed by it. Absent: `preparedKey` holds the
   * whole prepared document (runs started before the update was stored alone).
   */
  appendsTo?: { key: string; size: number };
};

export type CertifiedDocumentRef = DocumentStepInput & {
  certifiedKey: string;
  name: string;
  sha256: string;
  size: number;
};

export type PreparedFinalization = { envelopeId: string; documents: DocumentStepInput[] };

export type DeliverInput = { envelopeId: string; documents: CertifiedDocumentRef[] };

export type FailureInput = { envelopeId: string; error?: { Error?: string; Cause?: string } };

export const preparedKey = (envelopeId: string, documentId: string) =>
  `envelopes/${envelopeId}/prepared/${documentId}.pdf`;
/** The incremental update alone (not a PDF by itself: it follows the original's bytes). */
export const preparedUpdateKey = (envelopeId: string, documentId: string) =>
  `envelopes/${envelopeId}/prepared/${documentId}.update`;
export const certifiedKey = (envelopeId: string, documentId: string) =>
  `envelopes/${envelopeId}/certified/${documentId}.pdf`;

/** `contrat.pdf` -> `contrat-signe.pdf`: the file name says it is the signed one. */
export function signedFileName(name: string): string {
  const base = name.replace(/\.pdf$/i, '');
  return `${base}-signe.pdf`;
}
