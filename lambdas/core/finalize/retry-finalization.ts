// An operator's retry of a failed finalization: the envelope goes back to `finalizing` (only
// from `failed`, one caller wins) and a new run starts under the next attempt's name. The steps
// are safe to repeat: Assemble and Certify overwrite, Deliver skips who was already served.
import { recordAuditEvent } from '../audit/audit-events.ts';
import type { Deps } from '../deps.ts';
import { envelopeKey, getEnvelope } from '../envelopes/envelope-records.ts';
import { ConditionFailedError, DomainError } from '../errors.ts';

export type RetryFinalizationOptions = {
  deps: Pick<Deps, 'store' | 'workflow' | 'clock' | 'random'>;
  envelopeId: string;
};
export type RetryFinalizationResult = { envelopeId: string; attempt: number };

export async function retryFinalization({
  deps,
  envelopeId,
}: RetryFinalizationOptions): Promise<RetryFinalizationResult> {
  const envelope = await getEnvelope(deps.store, envelopeId);
  if (!envelope)
    throw new DomainError({
      code: 'NOT_FOUND',
      message: `No envelope ${envelopeId}. Check the id in the failure notice or the customer area.`,
    });
  const notFailed = () =>
    new DomainError({
      code: 'CONFLICT',
      message: `Envelope ${envelopeId} is ${envelope.status}: only a failed finalization can be retried.`,
    });
  if (envelope.status !== 'failed') throw notFailed();
  let attempt: number;
  try {
    const updated = await deps.store.update(envelopeKey(envelopeId), {
      set: { status: 'finalizing' },
      remove: ['failureReason'],
      add: { finalizeRetries: 1 },
      expect: { status: 'failed' },
    });
    attempt = 1 + Number(updated.finalizeRetries);
  } catch (error) {
    if (error instanceof ConditionFailedError) throw notFailed();
    throw error;
  }
  await recordAuditEvent({
    store: deps.store,
    clock: deps.clock,
    random: deps.random,
    event: { type: 'envelope.finalizing', envelopeId, data: { attempt } },
  });
  await deps.workflow.startFinalization({ envelopeId, attempt });
  return { envelopeId, attempt };
}
