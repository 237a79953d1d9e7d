// Records the charge of one received signature, exactly once, in the account's order.
//  1. the per-signature record SIG#<envelope>#<position> is created with a conditional put: only
//     one caller (whatever the retries or concurrency) goes on; the others read its decision;
//  2. the record reserves the next number of the account's signature sequence, claimed with a
//     conditional put on SIGSEQ#<n> (a loser of a race moves its reservation on and tries again),
//     so signatures arriving at the same moment are decided as if they had arrived one after the other;
//  3. the price depends on the signatures numbered before it within the 30 days before (at most
//     the 9 previous numbers matter); a charge is one conditional update of the balance plus its
//     ledger entry (account-records.ts). A free signature makes no ledger entry.
// Each step after (1) is resumable and idempotent (charge-progress.ts): the record carries its
// reserved number and the ledger position before it, and a PENDING-CHARGES index item is written
// before it, so a charge a crash left `pending` is finished by settlePendingCharge(s) (finalization,
// the daily job) with the decision an uninterrupted run would have made.
// The balance may go below zero here: the request was covered when intake accepted it, and the
// signature was received, so it is charged; intake refuses the next request until topped up.
import { ensureAccount } from '../accounts/account-records.ts';
import { ConditionFailedError } from '../errors.ts';
import type { Clock, Store } from '../ports.ts';
import { advanceCharge, lastSequence, readCharge } from './charge-progress.ts';
import { pendingChargeKey, signatureChargeKey, signatureId } from './signature-records.ts';

export type SignatureCharge =
  | {
      state: 'decided';
      signatureId: string;
      sequence: number;
      at: string;
      amountCents: number;
      balanceAfterCents?: number;
    }
  /** Another call holds this signature and has not decided yet (or died deciding: see settlePendingCharge). */
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

export async function chargeSignature(options: ChargeSignatureOptions): Promise<SignatureCharge> {
  const { store, clock, email, envelopeId, position, at } = options;
  const id = signatureId(envelopeId, position);
  const chargeKey = signatureChargeKey(email, envelopeId, position);
  const account = await ensureAccount({ store, clock, email });
  const existing = await store.get(chargeKey);
  if (existing) return readCharge(existing);
  const record = {
    email,
    envelopeId,
    position,
    signatureId: id,
    at,
    sequence: (await lastSequence(store, email)) + 1,
    ledgerFrom: account.ledgerSeq,
  };
  const now = clock.now().getTime();
  // The index first: a crash right after leaves an entry the daily job resolves (it starts the charge).
  await store.put({ ...pendingChargeKey(id), kind: 'pending-charge', email, envelopeId, position, at, since: now });
  try {
    await store.put(
      {
        ...chargeKey,
        kind: 'signature-charge',
        signatureId: id,
        envelopeId,
        position,
        at,
        state: 'pending',
        sequence: record.sequence,
        ledgerFrom: record.ledgerFrom,
        progressAt: now,
      },
      { ifNotExists: true },
    );
  } catch (error) {
    if (!(error instanceof ConditionFailedError)) throw error;
    return readCharge((await store.get(chargeKey)) ?? { signatureId: id });
  }
  return advanceCharge({ store, clock, record });
}
