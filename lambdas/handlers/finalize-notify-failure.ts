// Lambda entry point of the state machine's "NotifyFailure" state (lib/workflows/finalize.asl.json).
import { notifyFinalizationFailure } from '../core/finalize/notify-finalization-failure.ts';
import type { FailureInput } from '../core/finalize/finalize-types.ts';
import { createFinalizeNotifyFailureDeps } from '../runtime/aws/finalize-notify-failure-root.ts';
import { awsStepHandler, type FinalizeStep } from './finalize-step.ts';

export const step: FinalizeStep<FailureInput, { envelopeId: string; status: 'failed' | 'unchanged' }> = (deps, input) =>
  notifyFinalizationFailure({ deps, ...input });

export const handler = awsStepHandler('NotifyFailure', step, createFinalizeNotifyFailureDeps);
