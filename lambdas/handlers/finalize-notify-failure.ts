// Lambda entry point of the state machine's "NotifyFailure" state (lib/workflows/finalize.asl.json).
import { notifyFinalizationFailure } from '../core/finalize/notify-finalization-failure.ts';
import { createFinalizeNotifyFailureDeps } from '../runtime/aws/finalize-notify-failure-root.ts';
import { awsStepHandler, stepOf } from './finalize-step.ts';

export const handler = awsStepHandler(
  'NotifyFailure',
  stepOf(notifyFinalizationFailure),
  createFinalizeNotifyFailureDeps,
);
