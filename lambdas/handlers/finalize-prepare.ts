// Lambda entry point of the state machine's "Prepare" state (lib/workflows/finalize.asl.json).
import { prepareFinalization } from '../core/finalize/prepare-finalization.ts';
import { createFinalizePrepareDeps } from '../runtime/aws/finalize-prepare-root.ts';
import { awsStepHandler, stepOf } from './finalize-step.ts';

export const handler = awsStepHandler('Prepare', stepOf(prepareFinalization), createFinalizePrepareDeps);
