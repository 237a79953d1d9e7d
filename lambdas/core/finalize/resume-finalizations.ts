// The sweep over unfinished finalizations (FINALIZING index): a `finalizing` envelope whose run
// is presumed dead is restarted, a temporary failure is retried, and entries of envelopes that
// ended are dropped. Run by the local stack at start (no run can be alive: noLiveRun) and by the
// daily job on AWS (runs older than the state machine's timeout).
import type { Deps } from '../deps.ts';
import { getEnvelope } from '../envelopes/envelope-records.ts';
import { clearFinalizing, listFinalizing, STUCK_FINALIZATION_MS } from './finalization-index.ts';
import { retryFinalization } from './retry-finalization.ts';

export type ResumeFinalizationsOptions = { deps: Deps; noLiveRun?: boolean };

/** Envelope ids whose finalization was restarted. */
export async function resumeFinalizations({ deps, noLiveRun }: ResumeFinalizationsOptions): Promise<string[]> {
  const restarted: string[] = [];
  const now = deps.clock.now().getTime();
  for (const entry of await listFinalizing(deps)) {
    const envelope = await getEnvelope(deps.store, entry.envelopeId);
    const stuck = envelope?.status === 'finalizing' && (noLiveRun || now - entry.since >= STUCK_FINALIZATION_MS);
    const retriable = envelope?.status === 'failed' && envelope.failureKind === 'temporary';
    if (!envelope || !(envelope.status === 'finalizing' || retriable)) {
      await clearFinalizing(deps, entry.envelopeId);
      continue;
    }
    if (!stuck && !retriable) continue;
    try {
      await retryFinalization({ deps, envelopeId: entry.envelopeId, noLiveRun: true });
      restarted.push(entry.envelopeId);
    } catch {
      // Another sweep or an operator restarted it meanwhile; the next sweep looks again.
    }
  }
  return restarted;
}
