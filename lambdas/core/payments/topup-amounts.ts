// The one VAT rule of a top-up, pure and dependency-free: the customer area's page imports it too,
// so the amounts shown before paying are the ones charged.

export type TopupAmounts = { amountCents: number; vatCents: number; totalCents: number };

/** VAT rounded half up to the cent, on the amount excl. VAT (one line, one rate). */
export function computeTopupAmounts(options: { amountCents: number; vatRateBasisPoints: number }): TopupAmounts {
  const vatCents = Math.floor((options.amountCents * options.vatRateBasisPoints + 5000) / 10_000);
  return { amountCents: options.amountCents, vatCents, totalCents: options.amountCents + vatCents };
}
