// Lambda entry point of the state machine's "Complete" state (lib/workflows/finalize.asl.json).
import { completeEnvelope } from '../core/finalize/complete-envelope.ts';
import type { CompleteInput } from '../core/finalize/finalize-types.ts';
import { createFinalizeCompleteDeps } from '../runtime/aws/finalize-complete-root.ts';
import { awsStepHandler, type FinalizeStep } from './finalize-step.ts';

export const step: FinalizeStep<CompleteInput, { envelopeId: string; status: 'completed' }> = (deps, input) =>
  completeEnvelope({ deps, ...input });

export const handler = awsStepHandler('Complete', step, createFinalizeCompleteDeps);
