// Restarting a finalization: an operator's retry of a failed one, a stuck one (`finalizing` with
// no live run: its process was killed, or its run timed out), or the sweep's automatic retry of a
// failure that was temporary. The envelope goes (back) to `finalizing` with one conditional write
// (one caller wins) and a new run starts under the next attempt's name. The steps are safe to
// repeat: Assemble and Certify overwrite, Deliver skips who was already served, Complete is
// conditional.
import { recordAuditEvent } from '../audit/audit-events.ts';
import type { Deps } from '../deps.ts';
import { envelopeKey, getEnvelope } from '../envelopes/envelope-records.ts';
import { ConditionFailedError, DomainError } from '../errors.ts';
import { getFinalizing, markFinalizing, STUCK_FINALIZATION_MS } from './finalization-index.ts';

export type RetryFinalizationOptions = {
  deps: Pick<Deps, 'store' | 'workflow' | 'clock' | 'random'>;
  envelopeId: string;
  /**
   * The caller knows no run is alive (the local stack at start): a `finalizing` envelope is
   * restarted whatever its age. Otherwise only one untouched for STUCK_FINALIZATION_MS.
   */
  noLiveRun?: boolean;
};
export type RetryFinalizationResult = { envelopeId: string; attempt: number };

export async function retryFinalization({
  deps,
  envelopeId,
  noLiveRun,
}: RetryFinalizationOptions): Promise<RetryFinalizationResult> {
  const envelope = await getEnvelope(deps.store, envelopeId);
  if (!envelope)
    throw new DomainError({
      code: 'NOT_FOUND',
      message: `No envelope ${envelopeId}. Check the id in the failure notice or the customer area.`,
    });
  const refuse = (status: string, detail = '') =>
    new DomainError({
      code: 'CONFLICT',
      message: `Envelope ${envelopeId} is ${status}: only a failed or stuck finalization can be retried.${detail}`,
    });
  if (envelope.status === 'finalizing' && !noLiveRun) {
    const entry = await getFinalizing(deps, envelopeId);
    const since = entry?.since ?? 0;
    const stuckAt = since + STUCK_FINALIZATION_MS;
    if (deps.clock.now().getTime() < stuckAt)
      throw refuse('finalizing', ` Its run may still be alive; retry after ${new Date(stuckAt).toISOString()}.`);
  } else if (envelope.status !== 'failed' && envelope.status !== 'finalizing') {
    throw refuse(envelope.status);
  }
  let attempt: number;
  try {
    const updated = await deps.store.update(envelopeKey(envelopeId), {
      set: { status: 'finalizing' },
      remove: ['failureReason', 'failureKind'],
      add: { finalizeRetries: 1 },
      expect: {
        status: envelope.status,
        ...(envelope.finalizeRetries !== undefined && { finalizeRetries: envelope.finalizeRetries }),
      },
      ...(envelope.finalizeRetries === undefined && { expectMissing: ['finalizeRetries'] }),
    });
    attempt = 1 + Number(updated.finalizeRetries);
  } catch (error) {
    if (error instanceof ConditionFailedError) throw refuse('changing', ' Another retry started it.');
    throw error;
  }
  await markFinalizing(deps, envelopeId);
  await recordAuditEvent({
    store: deps.store,
    clock: deps.clock,
    random: deps.random,
    event: { type: 'envelope.finalizing', envelopeId, data: { attempt } },
  });
  await deps.workflow.startFinalization({ envelopeId, attempt });
  return { envelopeId, attempt };
}
