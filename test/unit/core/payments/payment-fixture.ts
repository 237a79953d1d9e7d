// Payment deps for the unit tests: the in-memory fakes plus a recording payment provider (a fake of
// the port; the Stripe adapter itself is tested against a local Checkout stub) and sample billing.
import { ensureAccount } from '../../../../lambdas/core/accounts/account-records.ts';
import type { BillingSettings, PaymentDeps } from '../../../../lambdas/core/payments/billing-settings.ts';
import { SAMPLE_SELLER } from '../../../../lambdas/core/payments/billing-settings.ts';
import type { CreateCheckoutOptions, PaymentEvent } from '../../../../lambdas/core/ports.ts';
import { issueToken } from '../../../../lambdas/core/tokens/link-tokens.ts';
import { createFakeDeps, type FakeDeps } from '../../../support/fake-deps.ts';

export const BUYER = 'claire@agence-dubois.fr';
export const testBilling: BillingSettings = { vatRateBasisPoints: 2000, invoicePrefix: 'MS', seller: SAMPLE_SELLER };

export type PaymentFakeDeps = FakeDeps & PaymentDeps & { checkouts: CreateCheckoutOptions[] };

export function createPaymentDeps(): PaymentFakeDeps {
  const checkouts: CreateCheckoutOptions[] = [];
  const base = createFakeDeps();
  return Object.assign(base, {
    checkouts,
    billing: testBilling,
    payments: {
      async createCheckout(options: CreateCheckoutOptions) {
        checkouts.push(options);
        return { sessionId: `cs_test_${options.topupId}`, checkoutUrl: `https://checkout.test/${options.topupId}` };
      },
      async parseWebhook(): Promise<PaymentEvent> {
        throw new Error('not used in unit tests');
      },
    },
  });
}

export async function sessionFor(deps: PaymentFakeDeps, email = BUYER): Promise<string> {
  await ensureAccount({ store: deps.store, clock: deps.clock, email });
  const { token } = await issueToken({ ...deps, kind: 'session', ttlSeconds: 3600, email });
  return token;
}

export function paidEvent(topupId: string, totalCents: number): PaymentEvent {
  return {
    kind: 'paid',
    eventId: `evt_${topupId}`,
    sessionId: `cs_test_${topupId}`,
    topupId,
    paymentReference: `pi_${topupId}`,
    amountTotalCents: totalCents,
    currency: 'eur',
  };
}
