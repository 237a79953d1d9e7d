// The pricing rule the product is sold on: 100 cents per signature received, free when the
// same customer received fewer than 9 signatures in the 30 days before it. Pure functions.

export const SIGNATURE_PRICE_CENTS = 100;
export const FREE_SIGNATURES_PER_WINDOW = 9;
export const BILLING_WINDOW_MS = 30 * 86_400_000;

/** A signature at `at` counts one received at `previousAt` when it is strictly within the 30 days before. */
export function isWithinWindow(options: { previousAt: string; at: string }): boolean {
  return Date.parse(options.previousAt) > Date.parse(options.at) - BILLING_WINDOW_MS;
}

/** The price of a signature given how many the customer received in the 30 days before it. */
export function priceSignature(options: { signaturesInWindowBefore: number }): number {
  return options.signaturesInWindowBefore >= FREE_SIGNATURES_PER_WINDOW ? SIGNATURE_PRICE_CENTS : 0;
}

export type ProjectCostOptions = { signaturesInWindow: number; signerCount: number };

/** What a request would cost if all its signers signed now, one after the other. */
export function projectCost({ signaturesInWindow, signerCount }: ProjectCostOptions): number {
  let cost = 0;
  for (let index = 0; index < signerCount; index += 1)
    cost += priceSignature({ signaturesInWindowBefore: signaturesInWindow + index });
  return cost;
}

export function freeSignaturesLeft(options: { signaturesInWindow: number }): number {
  return Math.max(0, FREE_SIGNATURES_PER_WINDOW - options.signaturesInWindow);
}
