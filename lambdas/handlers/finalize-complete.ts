// Lambda entry point of the state machine's "Complete" state (lib/workflows/finalize.asl.json).
import { completeEnvelope } from '../core/finalize/complete-envelope.ts';
import { createFinalizeCompleteDeps } from '../runtime/aws/finalize-complete-root.ts';
import { awsStepHandler, stepOf } from './finalize-step.ts';

export const handler = awsStepHandler('Complete', stepOf(completeEnvelope), createFinalizeCompleteDeps);
