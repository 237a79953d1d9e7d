// Keys of the per-account signature records. SIG#<envelopeId>#<position> is the per-signature
// record (created once: the exactly-once gate); SIGSEQ#<n> gives each signature its place in the
// account's order (a conditional put per number: the per-account serialization); SIGAT#<time>
// indexes them by time for "signatures in the last 30 days". PENDING-CHARGES / <signatureId>
// lists the charges begun and not yet decided, for the daily job to settle after a crash.
import type { Store } from '../ports.ts';
import { accountPk } from '../accounts/account-records.ts';
import { BILLING_WINDOW_MS } from './billing-rule.ts';

const pad = (n: number, width: number) => String(n).padStart(width, '0');

export const signatureId = (envelopeId: string, position: number) => `${envelopeId}-${pad(position, 2)}`;
export const signatureChargeKey = (email: string, envelopeId: string, position: number) => ({
  pk: accountPk(email),
  sk: `SIG#${envelopeId}#${pad(position, 2)}`,
});
export const signatureSequenceSk = (sequence: number) => `SIGSEQ#${pad(sequence, 10)}`;
export const signatureTimeKey = (email: string, at: string, id: string) => ({
  pk: accountPk(email),
  sk: `SIGAT#${at}#${id}`,
});
export const PENDING_CHARGES_PK = 'PENDING-CHARGES';
export const pendingChargeKey = (id: string) => ({ pk: PENDING_CHARGES_PK, sk: id });

export type CountRecentSignaturesOptions = { store: Store; email: string; now: Date };

/** Signatures the account received in the 30 days up to `now`. */
export async function countRecentSignatures({ store, email, now }: CountRecentSignaturesOptions): Promise<number> {
  const from = new Date(now.getTime() - BILLING_WINDOW_MS + 1).toISOString();
  const items = await store.query(accountPk(email), {
    skFrom: `SIGAT#${from}`,
    skTo: `SIGAT#${now.toISOString()}\uffff`,
  });
  return items.length;
}
