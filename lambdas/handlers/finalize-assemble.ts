// Lambda entry point of the state machine's "Assemble" state (lib/workflows/finalize.asl.json).
import { assembleEnvelopeDocument } from '../core/finalize/assemble-envelope-document.ts';
import type { AssembledDocument, DocumentToAssemble } from '../core/finalize/finalize-types.ts';
import { warmStampFonts } from '../core/pdf/stamp-fonts.ts';
import { createFinalizeAssembleDeps } from '../runtime/aws/finalize-assemble-root.ts';
import { reportReaderFallback } from '../runtime/aws/observability.ts';
import { awsStepHandler, type FinalizeStep } from './finalize-step.ts';

export type ReaderFallbackReport = (context: { envelopeId: string; documentId: string; reason: string }) => void;

/** The lazy PDF reader's fallback to a full parse, as one structured line (ids and reason only). */
const logReaderFallback: ReaderFallbackReport = (context) =>
  console.warn(JSON.stringify({ event: 'pdf.lazy-reader-fallback', ...context }));

export function createAssembleStep(report: ReaderFallbackReport): FinalizeStep<DocumentToAssemble, AssembledDocument> {
  return (deps, input) =>
    assembleEnvelopeDocument({
      deps,
      ...input,
      onReaderFallback: (reason) => report({ envelopeId: input.envelopeId, documentId: input.documentId, reason }),
    });
}

export const step = createAssembleStep(logReaderFallback);

// Lambda initialisation: the font programs are read before the first document arrives.
void warmStampFonts();

export const handler = awsStepHandler('Assemble', createAssembleStep(reportReaderFallback), createFinalizeAssembleDeps);
