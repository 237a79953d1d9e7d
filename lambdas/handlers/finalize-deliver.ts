// Lambda entry point of the state machine's "Deliver" state (lib/workflows/finalize.asl.json).
import { deliverEnvelope } from '../core/finalize/deliver-envelope.ts';
import type { DeliverInput } from '../core/finalize/finalize-types.ts';
import type { DeliveryResult } from '../core/finalize/finalize-types.ts';
import { createFinalizeDeliverDeps } from '../runtime/aws/finalize-deliver-root.ts';
import { awsStepHandler, type FinalizeStep } from './finalize-step.ts';

export const step: FinalizeStep<DeliverInput, DeliveryResult> = (deps, input) => deliverEnvelope({ deps, ...input });

export const handler = awsStepHandler('Deliver', step, createFinalizeDeliverDeps);
