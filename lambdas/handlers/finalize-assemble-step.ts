// The Assemble step, with the lazy PDF reader's fallback reported: kept apart from its Lambda entry
// point (finalize-assemble.ts) so that the local workflow runs it without loading an AWS root.
import { assembleEnvelopeDocument } from '../core/finalize/assemble-envelope-document.ts';
import type { AssembledDocument, DocumentToAssemble } from '../core/finalize/finalize-types.ts';
import type { FinalizeStep } from './finalize-step.ts';

export type ReaderFallbackReport = (context: { envelopeId: string; documentId: string; reason: string }) => void;

/** The lazy PDF reader's fallback to a full parse, as one structured line (ids and reason only). */
export const logReaderFallback: ReaderFallbackReport = (context) =>
  console.warn(JSON.stringify({ event: 'pdf.lazy-reader-fallback', ...context }));

export function createAssembleStep(report: ReaderFallbackReport): FinalizeStep<DocumentToAssemble, AssembledDocument> {
  return (deps, input) =>
    assembleEnvelopeDocument({
      deps,
      ...input,
      onReaderFallback: (reason) => report({ envelopeId: input.envelopeId, documentId: input.documentId, reason }),
    });
}
