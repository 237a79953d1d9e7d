// Lambda entry point of the state machine's "Prepare" state (lib/workflows/finalize.asl.json).
import { prepareFinalization } from '../core/finalize/prepare-finalization.ts';
import type { FinalizeInput, PreparedFinalization } from '../core/finalize/finalize-types.ts';
import { createFinalizePrepareDeps } from '../runtime/aws/finalize-prepare-root.ts';
import { awsStepHandler, type FinalizeStep } from './finalize-step.ts';

export const step: FinalizeStep<FinalizeInput, PreparedFinalization> = (deps, input) =>
  prepareFinalization({ deps, ...input });

export const handler = awsStepHandler('Prepare', step, createFinalizePrepareDeps);
