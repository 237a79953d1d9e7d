// The steps of a signature charge after its SIG# record exists, written so that any of them can be
// run again, by the first caller or by a resumer after a crash, and by two at once, without a
// second number, a second debit or a different price. Progress lives on the SIG# record:
//  - `sequence` is the number the signature holds or is about to claim. It is reserved on the record
//    before SIGSEQ#<n> is put, and moves on (conditionally, from exactly n) only when SIGSEQ#<n>
//    belongs to another signature; so SIGSEQ#<n> is this signature's iff it stores its signatureId,
//    and no signature ever holds two numbers.
//  - the price only reads the (immutable) numbers before it: the same on every run.
//  - `ledgerFrom` is the account's ledger sequence read before the record was created: a debit of
//    this signature can only be a later entry. The debit is looked for in those entries and
//    appended under the same `ledgerSeq` condition as the look-up, so a concurrent run that debits
//    in between makes this one read again and find it (see debitSignatureOnce).
//  - `state: 'decided'` is set only from `pending`; the PENDING-CHARGES index item is removed after.
import { accountPk, appendLedgerEntry, ledgerKey, type LedgerEntry } from '../accounts/account-records.ts';
import { ConditionFailedError, RecordInvalidError } from '../errors.ts';
import type { Clock, Store, StoreItem, StoreKey } from '../ports.ts';
import { FREE_SIGNATURES_PER_WINDOW, isWithinWindow, priceSignature } from './billing-rule.ts';
import type { SignatureCharge } from './charge-signature.ts';
import { pendingChargeKey, signatureChargeKey, signatureSequenceSk, signatureTimeKey } from './signature-records.ts';

export type DecidedCharge = Extract<SignatureCharge, { state: 'decided' }>;

/** What the steps need from a SIG# record. */
export type ChargeRecord = {
  email: string;
  envelopeId: string;
  position: number;
  signatureId: string;
  at: string;
  /** The number held or reserved (absent on records written before it was reserved up front). */
  sequence?: number;
  /** The account's ledgerSeq before the record was created (absent on older records). */
  ledgerFrom?: number;
};

const MAX_SEQUENCE_ATTEMPTS = 100;
/** For records older than `sequence`/`ledgerFrom`: how far back to look for what they wrote. */
const LEGACY_LOOKBACK = 100;

export function readCharge(item: Record<string, unknown>): SignatureCharge {
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

export function readChargeRecord(email: string, item: StoreItem): ChargeRecord {
  return {
    email,
    envelopeId: String(item.envelopeId),
    position: Number(item.position),
    signatureId: String(item.signatureId),
    at: String(item.at),
    ...(typeof item.sequence === 'number' && { sequence: item.sequence }),
    ...(typeof item.ledgerFrom === 'number' && { ledgerFrom: item.ledgerFrom }),
  };
}

export type AdvanceChargeOptions = { store: Store; clock: Clock; record: ChargeRecord };

/** Runs (or finishes) steps 2 to 6 of a charge whose SIG# record exists; returns the decision. */
export async function advanceCharge({ store, clock, record }: AdvanceChargeOptions): Promise<DecidedCharge> {
  const sequence = await claimSequence({ store, clock, record });
  await store.put({
    ...signatureTimeKey(record.email, record.at, record.signatureId),
    kind: 'signature-time',
    signatureId: record.signatureId,
    sequence,
  });
  const before = await countInWindowBefore({ store, email: record.email, sequence, at: record.at });
  const amountCents = priceSignature({ signaturesInWindowBefore: before });
  const entry = amountCents > 0 ? await debitSignatureOnce({ store, clock, record, amountCents }) : undefined;
  return markDecided({
    store,
    clock,
    record,
    decided: {
      state: 'decided',
      signatureId: record.signatureId,
      sequence,
      at: record.at,
      amountCents,
      ...(entry && { balanceAfterCents: entry.balanceAfterCents }),
    },
  });
}

export async function lastSequence(store: Store, email: string): Promise<number> {
  const [last] = await store.query(accountPk(email), { skPrefix: 'SIGSEQ#', descending: true, limit: 1 });
  return typeof last?.sequence === 'number' ? last.sequence : 0;
}

/** The signature's number: the reserved one once SIGSEQ#<n> is claimed (or found) as its own. */
async function claimSequence({ store, clock, record }: AdvanceChargeOptions): Promise<number> {
  const key = signatureChargeKey(record.email, record.envelopeId, record.position);
  let sequence = record.sequence ?? (await reserveSequence({ store, clock, record }));
  for (let attempt = 0; attempt < MAX_SEQUENCE_ATTEMPTS; attempt += 1) {
    const claim = {
      pk: accountPk(record.email),
      sk: signatureSequenceSk(sequence),
      kind: 'signature-sequence',
      sequence,
      signatureId: record.signatureId,
      envelopeId: record.envelopeId,
      position: record.position,
      at: record.at,
    };
    try {
      await store.put(claim, { ifNotExists: true });
      return sequence;
    } catch (error) {
      if (!(error instanceof ConditionFailedError)) throw error;
    }
    const holder = await store.get({ pk: claim.pk, sk: claim.sk });
    if (holder?.signatureId === record.signatureId) return sequence; // claimed before a crash, or by a concurrent run
    const next = Math.max(sequence + 1, (await lastSequence(store, record.email)) + 1);
    try {
      await store.update(key, { set: { sequence: next, progressAt: clock.now().getTime() }, expect: { sequence } });
      sequence = next;
    } catch (error) {
      if (!(error instanceof ConditionFailedError)) throw error;
      sequence = await readReservedSequence(store, key); // another run moved it: follow
    }
  }
  throw new ConditionFailedError(`Could not take a signature number for ${record.signatureId}`);
}

/** For a record without a reserved number: the one it already claimed, if any, else the next one. */
async function reserveSequence({ store, clock, record }: AdvanceChargeOptions): Promise<number> {
  const key = signatureChargeKey(record.email, record.envelopeId, record.position);
  const recent = await store.query(accountPk(record.email), {
    skPrefix: 'SIGSEQ#',
    descending: true,
    limit: LEGACY_LOOKBACK,
  });
  const own = recent.find((item) => item.signatureId === record.signatureId);
  const candidate =
    typeof own?.sequence === 'number'
      ? own.sequence
      : (typeof recent[0]?.sequence === 'number' ? recent[0].sequence : 0) + 1;
  try {
    await store.update(key, {
      set: { sequence: candidate, progressAt: clock.now().getTime() },
      expectMissing: ['sequence'],
    });
    return candidate;
  } catch (error) {
    if (!(error instanceof ConditionFailedError)) throw error;
    return readReservedSequence(store, key);
  }
}

async function readReservedSequence(store: Store, key: StoreKey): Promise<number> {
  const sequence = (await store.get(key))?.sequence;
  if (typeof sequence !== 'number')
    throw new RecordInvalidError({ record: 'charge', message: `${key.sk} lost its number` });
  return sequence;
}

/** How many of the (at most 9) signatures numbered just before were received in the 30 days before `at`. */
async function countInWindowBefore(options: {
  store: Store;
  email: string;
  sequence: number;
  at: string;
}): Promise<number> {
  if (options.sequence <= 1) return 0;
  const previous = await options.store.query(accountPk(options.email), {
    skFrom: signatureSequenceSk(Math.max(1, options.sequence - FREE_SIGNATURES_PER_WINDOW)),
    skTo: signatureSequenceSk(options.sequence - 1),
  });
  return previous.filter((item) => isWithinWindow({ previousAt: String(item.at), at: options.at })).length;
}

const toLedgerEntry = ({ pk: _pk, sk: _sk, kind: _kind, ...entry }: StoreItem) => entry as unknown as LedgerEntry;

/**
 * The debit of this signature, exactly once: appendLedgerEntry looks for an earlier debit of this
 * signature under the same `ledgerSeq` its conditional append expects, so an append that succeeds
 * follows a look-up that saw every entry.
 */
async function debitSignatureOnce(options: {
  store: Store;
  clock: Clock;
  record: ChargeRecord;
  amountCents: number;
}): Promise<LedgerEntry> {
  const { store, record } = options;
  const { email, signatureId } = record;
  return appendLedgerEntry({
    store,
    clock: options.clock,
    email,
    amountCents: -options.amountCents,
    envelopeId: record.envelopeId,
    signatureId,
    findExisting: async ({ ledgerSeq }) => {
      const from = record.ledgerFrom ?? Math.max(0, ledgerSeq - LEGACY_LOOKBACK);
      if (ledgerSeq <= from) return undefined;
      const entries = await store.query(accountPk(email), {
        skFrom: ledgerKey(email, from + 1).sk,
        skTo: ledgerKey(email, ledgerSeq).sk,
      });
      const found = entries.find((item) => item.signatureId === signatureId);
      return found ? toLedgerEntry(found) : undefined;
    },
  });
}

/** Records the decision once (from `pending` only); a run that finds it decided returns that decision. */
async function markDecided(options: {
  store: Store;
  clock: Clock;
  record: ChargeRecord;
  decided: DecidedCharge;
}): Promise<DecidedCharge> {
  const { store, record, decided } = options;
  const key = signatureChargeKey(record.email, record.envelopeId, record.position);
  let result = decided;
  try {
    await store.update(key, {
      set: {
        state: 'decided',
        sequence: decided.sequence,
        amountCents: decided.amountCents,
        ...(decided.balanceAfterCents !== undefined && { balanceAfterCents: decided.balanceAfterCents }),
        decidedAt: options.clock.now().toISOString(),
      },
      remove: ['progressAt', 'leaseUntil', 'ledgerFrom'],
      expect: { state: 'pending' },
    });
  } catch (error) {
    if (!(error instanceof ConditionFailedError)) throw error;
    const current = readCharge((await store.get(key)) ?? { signatureId: record.signatureId });
    if (current.state !== 'decided') throw error;
    result = current;
  }
  await store.delete(pendingChargeKey(record.signatureId));
  return result;
}
