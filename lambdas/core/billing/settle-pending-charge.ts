// Finishes the charges a crash left `pending` (or, given when the signature was received, never
// started), so every received signature is charged once even when the process charging it died.
// A pending record whose last progress is recent is left alone: its first caller may still be
// working. A stale one is taken with a lease (a conditional update: `leaseUntil` absent or past,
// set to now + 2 minutes) so two settlers do not run it at once; the steps themselves are
// idempotent and fenced anyway (charge-progress.ts), the lease only keeps settlers out of each
// other's way. Called by finalization (Complete) for the envelope's signatures, and by the daily
// retention job for the charges listed under PENDING-CHARGES.
import { ConditionFailedError } from '../errors.ts';
import type { Clock, Store, StoreItem } from '../ports.ts';
import { advanceCharge, readCharge, readChargeRecord, type DecidedCharge } from './charge-progress.ts';
import { chargeSignature, type ChargeSignatureOptions } from './charge-signature.ts';
import { PENDING_CHARGES_PK, pendingChargeKey, signatureChargeKey, signatureId } from './signature-records.ts';

/** A pending charge untouched for longer than this is presumed abandoned. */
export const PENDING_CHARGE_STALE_MS = 5 * 60_000;
/** How long a settler holds a pending charge before another may take it over. */
export const PENDING_CHARGE_LEASE_MS = 2 * 60_000;

export type SettledCharge =
  /** This call decided it now. */
  | { outcome: 'settled'; charge: DecidedCharge }
  /** It was decided already: nothing to do. */
  | { outcome: 'decided'; charge: DecidedCharge }
  /** Pending, but recently touched or held by another settler: left for later. */
  | { outcome: 'busy'; signatureId: string }
  /** No charge record, and no receipt time to start one. */
  | { outcome: 'missing'; signatureId: string };

/** The charge's identity as for chargeSignature; `at`, when given, lets a charge never started be started. */
export type SettlePendingChargeOptions = Omit<ChargeSignatureOptions, 'at'> & { at?: string };

export async function settlePendingCharge(options: SettlePendingChargeOptions): Promise<SettledCharge> {
  const { store, clock, email, envelopeId, position } = options;
  const id = signatureId(envelopeId, position);
  const key = signatureChargeKey(email, envelopeId, position);
  const item = await store.get(key);
  if (!item) {
    if (options.at === undefined) return { outcome: 'missing', signatureId: id };
    const charge = await chargeSignature({ store, clock, email, envelopeId, position, at: options.at });
    return charge.state === 'decided' ? { outcome: 'settled', charge } : { outcome: 'busy', signatureId: id };
  }
  const current = readCharge(item);
  if (current.state === 'decided') return { outcome: 'decided', charge: current };
  const now = clock.now().getTime();
  const staleBefore = now - PENDING_CHARGE_STALE_MS;
  if (!(numberOrZero(item.progressAt) < staleBefore && numberOrZero(item.leaseUntil) < now))
    return { outcome: 'busy', signatureId: id };
  let leased: StoreItem;
  try {
    leased = await store.update(key, {
      set: { leaseUntil: now + PENDING_CHARGE_LEASE_MS },
      expect: { state: 'pending' },
      expectBelow: { leaseUntil: now, progressAt: staleBefore },
    });
  } catch (error) {
    if (!(error instanceof ConditionFailedError)) throw error;
    const again = readCharge((await store.get(key)) ?? { signatureId: id });
    return again.state === 'decided' ? { outcome: 'decided', charge: again } : { outcome: 'busy', signatureId: id };
  }
  return { outcome: 'settled', charge: await advanceCharge({ store, clock, record: readChargeRecord(email, leased) }) };
}

const numberOrZero = (value: unknown) => (typeof value === 'number' ? value : 0);

export type SettlePendingChargesOptions = {
  store: Store;
  clock: Clock;
  email: string;
  envelopeId: string;
  /** The envelope's signatures; with `at` (the signer's signedAt) a charge never started is started. */
  signatures: Array<{ position: number; at?: string }>;
};

/** Signature ids only (no addresses): what was settled now, what was left pending, what failed. */
export type PendingChargesReport = { settled: string[]; busy: string[]; failed: string[] };

/** Settles every stale pending charge of one envelope, one signature after the other; never throws for one. */
export async function settlePendingCharges(options: SettlePendingChargesOptions): Promise<PendingChargesReport> {
  const report: PendingChargesReport = { settled: [], busy: [], failed: [] };
  for (const { position, at } of options.signatures) {
    const id = signatureId(options.envelopeId, position);
    try {
      const { store, clock, email, envelopeId } = options;
      const result = await settlePendingCharge({
        store,
        clock,
        email,
        envelopeId,
        position,
        ...(at !== undefined && { at }),
      });
      if (result.outcome === 'settled') report.settled.push(id);
      else if (result.outcome === 'busy') report.busy.push(id);
    } catch {
      report.failed.push(id);
    }
  }
  return report;
}

export type SettleListedPendingChargesOptions = { store: Store; clock: Clock };

/** The daily job's part: every charge listed under PENDING-CHARGES, settled or cleared from the list. */
export async function settleListedPendingCharges({
  store,
  clock,
}: SettleListedPendingChargesOptions): Promise<PendingChargesReport> {
  const report: PendingChargesReport = { settled: [], busy: [], failed: [] };
  for (const entry of await store.query(PENDING_CHARGES_PK)) {
    try {
      const result = await settlePendingCharge({
        store,
        clock,
        email: String(entry.email),
        envelopeId: String(entry.envelopeId),
        position: Number(entry.position),
        // Listed only once the signature stood: a charge that never got its record is started.
        at: String(entry.at),
      });
      if (result.outcome === 'settled') report.settled.push(entry.sk);
      else if (result.outcome === 'busy') report.busy.push(entry.sk);
      else await store.delete(pendingChargeKey(entry.sk)); // decided already: a leftover entry
    } catch {
      report.failed.push(entry.sk);
    }
  }
  return report;
}
