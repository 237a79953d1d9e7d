// Lambda entry point of the state machine's "Assemble" state (lib/workflows/finalize.asl.json).
import { warmStampFonts } from '../core/pdf/stamp-fonts.ts';
import { createFinalizeAssembleDeps } from '../runtime/aws/finalize-assemble-root.ts';
import { reportReaderFallback } from '../runtime/aws/observability.ts';
import { awsStepHandler } from './finalize-step.ts';
import { createAssembleStep } from './finalize-assemble-step.ts';

// Lambda initialisation: the font programs are read before the first document arrives.
void warmStampFonts();

export const handler = awsStepHandler('Assemble', createAssembleStep(reportReaderFallback), createFinalizeAssembleDeps);
