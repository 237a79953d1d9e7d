// Lambda entry point of the state machine's "Deliver" state (lib/workflows/finalize.asl.json).
import { deliverEnvelope } from '../core/finalize/deliver-envelope.ts';
import { createFinalizeDeliverDeps } from '../runtime/aws/finalize-deliver-root.ts';
import { awsStepHandler, stepOf } from './finalize-step.ts';

export const handler = awsStepHandler('Deliver', stepOf(deliverEnvelope), createFinalizeDeliverDeps);
