// The sweep over intakes an attempt left unfinished (its process died, its retries ran out): each
// is resumed from its own records with the receipt facts saved at the claim. Run by the local
// stack at start and by the daily job; a live attempt keeps its lease and is left alone.
import type { Deps } from '../deps.ts';
import { getInboundRecord, listStaleIntakes, releaseInboundClaim, type InboundOutcome } from './inbound-records.ts';
import { receiveSignRequest } from './receive-sign-request.ts';

export type ResumeStaleIntakesOptions = {
  deps: Deps;
  /** True when no other attempt can be alive (a single local process at start). */
  ignoreLeases?: boolean;
};

export type ResumedIntake = { messageId: string; outcome?: InboundOutcome; error?: string };

export async function resumeStaleIntakes(options: ResumeStaleIntakesOptions): Promise<ResumedIntake[]> {
  const { deps } = options;
  const stale = await listStaleIntakes({ store: deps.store, clock: deps.clock, ignoreLeases: options.ignoreLeases });
  const results: ResumedIntake[] = [];
  for (const { messageId, verdicts, envelopeSender } of stale) {
    const record = await getInboundRecord({ store: deps.store, messageId });
    if (options.ignoreLeases && record) await releaseInboundClaim({ store: deps.store, clock: deps.clock, messageId });
    try {
      const outcome = await receiveSignRequest({
        deps,
        messageId,
        verdicts: record?.verdicts ?? verdicts,
        ...((record?.envelopeSender ?? envelopeSender) && { envelopeSender: record?.envelopeSender ?? envelopeSender }),
      });
      results.push({ messageId, outcome });
    } catch (error) {
      // Left for the next sweep (its attempts are counted: the last one records an outcome).
      results.push({ messageId, error: error instanceof Error ? error.name : 'Error' });
    }
  }
  return results;
}
