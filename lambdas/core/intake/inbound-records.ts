// Idempotency of intake: one record per SES message id. The first delivery claims it with a
// conditional put; a redelivery skips it, unless an earlier attempt died mid-way long ago.
import { ConditionFailedError } from '../errors.ts';
import type { Clock, Store } from '../ports.ts';

export type InboundOutcome =
  | { status: 'accepted'; envelopeId: string }
  | { status: 'refused'; code: string }
  | { status: 'ignored'; reason: string }
  /** A mail command (e.g. *VERIFY) answered to its sender. */
  | { status: 'answered'; command: string };

const STALE_CLAIM_MS = 15 * 60 * 1000;
const inboundKey = (messageId: string) => ({ pk: `INBOUND#${messageId}`, sk: 'INBOUND' });

/** True when this delivery may process the message. */
export async function claimInboundMessage(options: {
  store: Store;
  clock: Clock;
  messageId: string;
  ttl: number;
}): Promise<boolean> {
  const now = options.clock.now();
  try {
    await options.store.put(
      { ...inboundKey(options.messageId), kind: 'inbound', claimedAt: now.toISOString(), ttl: options.ttl },
      { ifNotExists: true },
    );
    return true;
  } catch (error) {
    if (!(error instanceof ConditionFailedError)) throw error;
  }
  const existing = await options.store.get(inboundKey(options.messageId));
  if (!existing || existing.outcome !== undefined) return false;
  if (now.getTime() - Date.parse(String(existing.claimedAt)) < STALE_CLAIM_MS) return false;
  try {
    await options.store.update(inboundKey(options.messageId), {
      set: { claimedAt: now.toISOString() },
      expect: { claimedAt: existing.claimedAt },
      expectMissing: ['outcome'],
    });
    return true;
  } catch (error) {
    if (error instanceof ConditionFailedError) return false;
    throw error;
  }
}

export async function recordInboundOutcome(options: {
  store: Store;
  clock: Clock;
  messageId: string;
  outcome: InboundOutcome;
  sender?: string;
}): Promise<void> {
  await options.store.update(inboundKey(options.messageId), {
    set: { outcome: options.outcome, sender: options.sender, completedAt: options.clock.now().toISOString() },
  });
}

export async function getInboundOutcome(options: {
  store: Store;
  messageId: string;
}): Promise<InboundOutcome | undefined> {
  const item = await options.store.get(inboundKey(options.messageId));
  return item?.outcome as InboundOutcome | undefined;
}
