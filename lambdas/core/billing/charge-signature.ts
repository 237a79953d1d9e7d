// Records the charge of one received signature, exactly once, in the account's order.
//  1. the per-signature record SIG#<envelope>#<position> is created with a conditional put: only
//     one caller (whatever the retries or concurrency) goes on; the others read its decision;
//  2. the winner takes the next number of the account's signature sequence with a conditional
//     put on SIGSEQ#<n> (a loser of a race tries n+1), so signatures arriving at the same moment
//     are decided as if they had arrived one after the other;
//  3. the price depends on the signatures numbered before it within the 30 days before (at most
//     the 9 previous numbers matter); a charge is one conditional update of the balance plus its
//     ledger entry (account-records.ts). A free signature makes no ledger entry.
// The balance may go below zero here: the request was covered when intake accepted it, and the
// signature was received, so it is charged; intake refuses the next request until topped up.
import { appendLedgerEntry, ensureAccount } from '../accounts/account-records.ts';
import { ConditionFailedError } from '../errors.ts';
import type { Clock, Store } from '../ports.ts';
import { FREE_SIGNATURES_PER_WINDOW, isWithinWindow, priceSignature } from './billing-rule.ts';
import { signatureChargeKey, signatureId, signatureSequenceSk, signatureTimeKey } from './signature-records.ts';
import { accountPk } from '../accounts/account-records.ts';

export type SignatureCharge =
  | { state: 'decided'; signatureId: string; sequence: number; at: string; amountCents: number; balanceAfterCents?: number }
  /** Another call holds this signature and has not decided yet (or died deciding). */
  | { state: 'pending'; signatureId: string };

export type ChargeSignatureOptions = {
  store: Store;
  clock: Clock;
  /** The customer: the envelope's sender. */
  email: string;
  envelopeId: string;
  position: number;
  /** When the signature was received. */
  at: string;
};

const MAX_SEQUENCE_ATTEMPTS = 100;

function fromRecord(item: Record<string, unknown>): SignatureCharge {
  const id = String(item.signatureId);
  if (item.state !== 'decided') return { state: 'pending', signatureId: id };
  return {
    state: 'decided',
    signatureId: id,
    sequence: Number(item.sequence),
    at: String(item.at),
    amountCents: Number(item.amountCents),
    ...(typeof item.balanceAfterCents === 'number' && { balanceAfterCents: item.balanceAfterCents }),
  };
}

export async function chargeSignature(options: ChargeSignatureOptions): Promise<SignatureCharge> {
  const { store, email, envelopeId, position, at } = options;
  const id = signatureId(envelopeId, position);
  const chargeKey = signatureChargeKey(email, envelopeId, position);
  await ensureAccount({ store, clock: options.clock, email });
  try {
    await store.put({ ...chargeKey, kind: 'signature-charge', signatureId: id, envelopeId, position, at, state: 'pending' }, { ifNotExists: true });
  } catch (error) {
    if (!(error instanceof ConditionFailedError)) throw error;
    return fromRecord((await store.get(chargeKey)) ?? { signatureId: id });
  }
  const sequence = await takeSequenceNumber({ store, email, signatureId: id, envelopeId, position, at });
  await store.put({ ...signatureTimeKey(email, at, id), kind: 'signature-time', signatureId: id, sequence });
  const before = await countInWindowBefore({ store, email, sequence, at });
  const amountCents = priceSignature({ signaturesInWindowBefore: before });
  const entry = amountCents > 0 ? await appendLedgerEntry({ store, clock: options.clock, email, amountCents: -amountCents, envelopeId, signatureId: id }) : undefined;
  const decided = { state: 'decided' as const, sequence, amountCents, ...(entry && { balanceAfterCents: entry.balanceAfterCents }) };
  await store.update(chargeKey, { set: { ...decided, decidedAt: options.clock.now().toISOString() } });
  return { ...decided, signatureId: id, at };
}

type TakeSequenceOptions = { store: Store; email: string; signatureId: string; envelopeId: string; position: number; at: string };

/** The next free number of the account's signature order, claimed with a conditional put. */
async function takeSequenceNumber(options: TakeSequenceOptions): Promise<number> {
  const { store, email } = options;
  const [last] = await store.query(accountPk(email), { skPrefix: 'SIGSEQ#', descending: true, limit: 1 });
  let sequence = (typeof last?.sequence === 'number' ? last.sequence : 0) + 1;
  for (let attempt = 0; attempt < MAX_SEQUENCE_ATTEMPTS; attempt += 1, sequence += 1) {
    try {
      await store.put(
        { pk: accountPk(email), sk: signatureSequenceSk(sequence), kind: 'signature-sequence', sequence, signatureId: options.signatureId, envelopeId: options.envelopeId, position: options.position, at: options.at },
        { ifNotExists: true },
      );
      return sequence;
    } catch (error) {
      if (!(error instanceof ConditionFailedError)) throw error;
    }
  }
  throw new ConditionFailedError(`Could not take a signature number for ${email}`);
}

/** How many of the (at most 9) signatures numbered just before were received in the 30 days before `at`. */
async function countInWindowBefore(options: { store: Store; email: string; sequence: number; at: string }): Promise<number> {
  if (options.sequence <= 1) return 0;
  const previous = await options.store.query(accountPk(options.email), {
    skFrom: signatureSequenceSk(Math.max(1, options.sequence - FREE_SIGNATURES_PER_WINDOW)),
    skTo: signatureSequenceSk(options.sequence - 1),
  });
  return previous.filter((item) => isWithinWindow({ previousAt: String(item.at), at: options.at })).length;
}
