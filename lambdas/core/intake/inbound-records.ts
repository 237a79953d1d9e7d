// Idempotency and resumability of intake, keyed by the SES message id:
// - `INBOUND#<id>` / `INBOUND`: the claim (a lease: `leaseUntil`, `attempts`), the receipt facts
//   needed to resume (verdicts, MAIL FROM) and, at the end, the outcome;
// - `INBOUND#<id>` / `SENT#<step>`: one mark per mail intake sends (invitation k, acknowledgement,
//   failure reply), written right after the mailer accepted it;
// - `INTAKE-PENDING` / `<id>`: the index of claims without an outcome, for the sweep that resumes
//   intakes whose process died (the local stack at start, the daily job).
// A delivery that finds a claim with an outcome does nothing; one that finds a live lease is told
// the message is in progress (it must not drop it: see IntakeInProgressError); one that finds an
// expired lease takes it over and RESUMES the steps where the earlier attempt stopped.
import { ConditionFailedError } from '../errors.ts';
import type { Clock, Store, StoreItem } from '../ports.ts';
import type { ReceiptVerdicts } from './ses-verdicts.ts';

export type InboundOutcome =
  | { status: 'accepted'; envelopeId: string }
  | { status: 'refused'; code: string }
  | { status: 'ignored'; reason: string }
  /** An unexpected error: the sender (when authenticated) was told nothing was done. */
  | { status: 'failed'; code: string }
  | { status: 'command'; command: string; result: string }
  /** A mail command (e.g. *VERIFY) answered to its sender. */
  | { status: 'answered'; command: string };

/** Longer than the intake Lambda's timeout (2 minutes), shorter than its first async retry after a timeout. */
export const INTAKE_LEASE_MS = 150_000;
/** Claims written before leases existed: taken over 15 minutes after their claim. */
const LEGACY_STALE_CLAIM_MS = 15 * 60 * 1000;

const inboundKey = (messageId: string) => ({ pk: `INBOUND#${messageId}`, sk: 'INBOUND' });
const sentKey = (messageId: string, step: string) => ({ pk: `INBOUND#${messageId}`, sk: `SENT#${step}` });
const PENDING_PK = 'INTAKE-PENDING';
const pendingKey = (messageId: string) => ({ pk: PENDING_PK, sk: messageId });

/** A delivery found another attempt holding the message: retry later (never drop it). */
export class IntakeInProgressError extends Error {
  constructor(messageId: string) {
    super(`Intake of ${messageId} is in progress in another attempt; retry later`);
    this.name = 'IntakeInProgressError';
  }
}

export type InboundClaim =
  /** `receivedAt`: the first claim's time, the same on every attempt (envelope dates derive from it). */
  { state: 'claimed'; attempt: number; receivedAt: Date } | { state: 'done' } | { state: 'busy'; leaseUntil: number };

export type ClaimInboundMessageOptions = {
  store: Store;
  clock: Clock;
  messageId: string;
  ttl: number;
  verdicts?: ReceiptVerdicts;
  envelopeSender?: string;
};

/** Claims the message for this attempt (first delivery, or an expired lease: resume). */
export async function claimInboundMessage(options: ClaimInboundMessageOptions): Promise<InboundClaim> {
  const { store, messageId } = options;
  const now = options.clock.now().getTime();
  const leaseUntil = now + INTAKE_LEASE_MS;
  const existing = await store.get(inboundKey(messageId));
  if (existing?.outcome !== undefined) return { state: 'done' };
  if (!existing) {
    // The index first: a crash right after the claim still leaves something for the sweep to find.
    await store.put({
      ...pendingKey(messageId),
      kind: 'intake-pending',
      since: now,
      ...(options.verdicts && { verdicts: options.verdicts }),
      ...(options.envelopeSender && { envelopeSender: options.envelopeSender }),
      ttl: options.ttl,
    });
    try {
      await store.put(
        {
          ...inboundKey(messageId),
          kind: 'inbound',
          claimedAt: new Date(now).toISOString(),
          leaseUntil,
          attempts: 1,
          ...(options.verdicts && { verdicts: options.verdicts }),
          ...(options.envelopeSender && { envelopeSender: options.envelopeSender }),
          ttl: options.ttl,
        },
        { ifNotExists: true },
      );
      return { state: 'claimed', attempt: 1, receivedAt: new Date(now) };
    } catch (error) {
      if (!(error instanceof ConditionFailedError)) throw error;
      return claimInboundMessage(options);
    }
  }
  const held =
    typeof existing.leaseUntil === 'number'
      ? existing.leaseUntil
      : Date.parse(String(existing.claimedAt)) + LEGACY_STALE_CLAIM_MS;
  if (now < held) return { state: 'busy', leaseUntil: held };
  try {
    const updated = await store.update(inboundKey(messageId), {
      set: { leaseUntil, resumedAt: new Date(now).toISOString() },
      add: { attempts: 1 },
      expect: {
        claimedAt: existing.claimedAt,
        ...(existing.leaseUntil !== undefined && { leaseUntil: existing.leaseUntil }),
      },
      expectMissing: ['outcome', ...(existing.leaseUntil === undefined ? ['leaseUntil'] : [])],
    });
    return { state: 'claimed', attempt: Number(updated.attempts), receivedAt: new Date(String(existing.claimedAt)) };
  } catch (error) {
    if (error instanceof ConditionFailedError) return claimInboundMessage(options);
    throw error;
  }
}

/**
 * For a receiver that is not durable by itself (the local SMTP server; SES's asynchronous Lambda
 * invocation is): lists the stored message for the sweep before it is acknowledged, so a process
 * killed between the SMTP 250 and the claim still gets it processed at the next start.
 */
export async function recordInboundReceived(options: {
  store: Store;
  clock: Clock;
  messageId: string;
  verdicts: ReceiptVerdicts;
  ttl: number;
}): Promise<void> {
  await options.store.put({
    ...pendingKey(options.messageId),
    kind: 'intake-pending',
    since: options.clock.now().getTime(),
    verdicts: options.verdicts,
    ttl: options.ttl,
  });
}

/** Gives the lease back at once (after an error), so the next delivery or the sweep resumes now. */
export async function releaseInboundClaim(options: { store: Store; clock: Clock; messageId: string }): Promise<void> {
  await options.store.update(inboundKey(options.messageId), {
    set: { leaseUntil: options.clock.now().getTime() },
    expectMissing: ['outcome'],
  });
}

/** Remembers the envelope this message creates, before anyone is contacted. */
export async function recordInboundEnvelope(options: {
  store: Store;
  messageId: string;
  envelopeId: string;
}): Promise<void> {
  await options.store.update(inboundKey(options.messageId), { set: { envelopeId: options.envelopeId } });
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
  await options.store.delete(pendingKey(options.messageId));
}

export type InboundRecord = {
  messageId: string;
  attempts: number;
  leaseUntil: number;
  envelopeId?: string;
  outcome?: InboundOutcome;
  verdicts?: ReceiptVerdicts;
  envelopeSender?: string;
};

export async function getInboundRecord(options: {
  store: Store;
  messageId: string;
}): Promise<InboundRecord | undefined> {
  const item = await options.store.get(inboundKey(options.messageId));
  if (!item) return undefined;
  return {
    messageId: options.messageId,
    attempts: typeof item.attempts === 'number' ? item.attempts : 1,
    leaseUntil: typeof item.leaseUntil === 'number' ? item.leaseUntil : 0,
    ...(typeof item.envelopeId === 'string' && { envelopeId: item.envelopeId }),
    ...(item.outcome !== undefined && { outcome: item.outcome as InboundOutcome }),
    ...(item.verdicts !== undefined && { verdicts: item.verdicts as ReceiptVerdicts }),
    ...(typeof item.envelopeSender === 'string' && { envelopeSender: item.envelopeSender }),
  };
}

export async function getInboundOutcome(options: {
  store: Store;
  messageId: string;
}): Promise<InboundOutcome | undefined> {
  return (await getInboundRecord(options))?.outcome;
}

/** True once the mail of this step was handed to the mailer. */
export async function isIntakeMailSent(options: { store: Store; messageId: string; step: string }): Promise<boolean> {
  return (await options.store.get(sentKey(options.messageId, options.step))) !== undefined;
}

export async function markIntakeMailSent(options: {
  store: Store;
  clock: Clock;
  messageId: string;
  step: string;
  ttl: number;
}): Promise<void> {
  await options.store.put({
    ...sentKey(options.messageId, options.step),
    kind: 'inbound-sent',
    sentAt: options.clock.now().toISOString(),
    ttl: options.ttl,
  });
}

export type StaleIntake = { messageId: string; verdicts: ReceiptVerdicts; envelopeSender?: string };

function staleIntake(item: StoreItem): StaleIntake {
  return {
    messageId: item.sk,
    verdicts: (item.verdicts as ReceiptVerdicts | undefined) ?? {},
    ...(typeof item.envelopeSender === 'string' && { envelopeSender: item.envelopeSender }),
  };
}

/**
 * Message ids of claims without an outcome whose lease has expired (the sweep resumes them).
 * `ignoreLeases`: for a process that knows no other attempt can be alive (the local stack at start).
 */
export async function listStaleIntakes(options: {
  store: Store;
  clock: Clock;
  ignoreLeases?: boolean;
}): Promise<StaleIntake[]> {
  const now = options.clock.now().getTime();
  const pending = await options.store.query(PENDING_PK);
  const stale: StaleIntake[] = [];
  for (const item of pending) {
    const record = await getInboundRecord({ store: options.store, messageId: item.sk });
    if (!record) {
      // Died between the index and the claim: start it as its delivery would have.
      if (options.ignoreLeases || now - Number(item.since) > INTAKE_LEASE_MS) stale.push(staleIntake(item));
      continue;
    }
    if (record.outcome !== undefined) {
      await options.store.delete(pendingKey(item.sk));
      continue;
    }
    if (options.ignoreLeases || record.leaseUntil <= now) stale.push(staleIntake(item));
  }
  return stale;
}
