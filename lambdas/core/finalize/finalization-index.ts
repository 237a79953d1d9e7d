// The index of finalizations not finished yet: FINALIZING / <envelope id>, written before a run
// starts (the last signature's effects, a retry), removed when the envelope completes or fails
// for good. It is how the local stack at start and the daily job find a finalization nobody is
// running any more (a killed process, a run that timed out) and a failure that is retried.
import type { Deps } from '../deps.ts';

const INDEX_PK = 'FINALIZING';
const indexKey = (envelopeId: string) => ({ pk: INDEX_PK, sk: envelopeId });

/**
 * A run untouched for this long is presumed dead: above the state machine's own timeout (2 hours)
 * on AWS. Locally a run lives in the process, so at start every entry is dead (ignoreAge).
 */
export const STUCK_FINALIZATION_MS = 2.5 * 3_600_000;

export type FinalizingEntry = { envelopeId: string; since: number };

export async function markFinalizing(deps: Pick<Deps, 'store' | 'clock'>, envelopeId: string): Promise<void> {
  await deps.store.put({ ...indexKey(envelopeId), kind: 'finalizing', since: deps.clock.now().getTime() });
}

export async function clearFinalizing(deps: Pick<Deps, 'store'>, envelopeId: string): Promise<void> {
  await deps.store.delete(indexKey(envelopeId));
}

export async function getFinalizing(
  deps: Pick<Deps, 'store'>,
  envelopeId: string,
): Promise<FinalizingEntry | undefined> {
  const item = await deps.store.get(indexKey(envelopeId));
  return item ? { envelopeId, since: Number(item.since) } : undefined;
}

export async function listFinalizing(deps: Pick<Deps, 'store'>): Promise<FinalizingEntry[]> {
  const items = await deps.store.query(INDEX_PK);
  return items.map((item) => ({ envelopeId: item.sk, since: Number(item.since) }));
}
