// Top-ups in the single table. `TOPUP#<id>` / `TOPUP` is the top-up: who, how much (excl. VAT,
// VAT, total), the provider's checkout session, and how far its payment got (see record-payment.ts).
// `ACCOUNT#<email>` / `TOPUP#<createdAt>#<id>` indexes an account's top-ups.
import { DomainError } from '../errors.ts';
import type { Store } from '../ports.ts';
import { accountPk } from '../accounts/account-records.ts';
export { computeTopupAmounts, type TopupAmounts } from './topup-amounts.ts';

export const TOPUP_MIN_CENTS = 1000;
export const TOPUP_MAX_CENTS = 100_000;

export type TopupStatus = 'open' | 'paid' | 'closed';

export type Topup = {
  id: string;
  email: string;
  /** What is credited, excl. VAT. */
  amountCents: number;
  vatCents: number;
  totalCents: number;
  vatRateBasisPoints: number;
  status: TopupStatus;
  createdAt: string;
  sessionId?: string;
  /** Set from the paid event; the steps after it are resumable (record-payment.ts). */
  paidAt?: string;
  paymentReference?: string;
  /** The account's ledgerSeq when the payment was recorded: the credit can only be a later entry. */
  ledgerFrom?: number;
  /** The invoice number this top-up holds or is about to claim (invoice-records.ts). */
  invoiceYear?: number;
  invoiceSequence?: number;
  invoiceNumber?: string;
  creditedAt?: string;
  invoiceMailedAt?: string;
  /** Set from `open` by an expired or canceled session that was never paid. */
  closedAt?: string;
};

export const topupKey = (id: string) => ({ pk: `TOPUP#${id}`, sk: 'TOPUP' });
export const accountTopupKey = (email: string, createdAt: string, id: string) => ({
  pk: accountPk(email),
  sk: `TOPUP#${createdAt}#${id}`,
});
/** Paid top-ups whose credit, invoice or mail is not finished yet: the daily job resumes them. */
export const PENDING_PAYMENTS_PK = 'PENDING-PAYMENTS';
export const pendingPaymentKey = (id: string) => ({ pk: PENDING_PAYMENTS_PK, sk: id });

export async function getTopup(store: Store, id: string): Promise<Topup | undefined> {
  const item = await store.get(topupKey(id));
  if (!item) return undefined;
  const { pk: _pk, sk: _sk, kind: _kind, ...rest } = item;
  return rest as unknown as Topup;
}

/** Rejects anything but whole cents from 10 to 1,000 EUR excl. VAT. */
export function validateTopupAmount(amountCents: unknown): number {
  if (
    typeof amountCents !== 'number' ||
    !Number.isInteger(amountCents) ||
    amountCents < TOPUP_MIN_CENTS ||
    amountCents > TOPUP_MAX_CENTS
  ) {
    throw new DomainError({
      code: 'AMOUNT_INVALID',
      message: 'A top-up is a whole number of cents from 1000 (10.00 EUR) to 100000 (1,000.00 EUR), excl. VAT.',
      details: { minCents: TOPUP_MIN_CENTS, maxCents: TOPUP_MAX_CENTS },
    });
  }
  return amountCents;
}

export const TOPUP_PRESETS_CENTS = [1000, 2000, 5000, 10_000];

export type TopupTerms = { vatRateBasisPoints: number; minCents: number; maxCents: number; presetsCents: number[] };

/** What the page needs to show excl. VAT, VAT and total before paying. */
export function getTopupTerms(options: { vatRateBasisPoints: number }): TopupTerms {
  return {
    vatRateBasisPoints: options.vatRateBasisPoints,
    minCents: TOPUP_MIN_CENTS,
    maxCents: TOPUP_MAX_CENTS,
    presetsCents: TOPUP_PRESETS_CENTS,
  };
}
