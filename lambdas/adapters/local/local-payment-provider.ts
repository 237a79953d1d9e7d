// The local stack's PaymentProvider: its checkout is a page of the local stack (/dev/pay/<id>),
// and the events that page sends are built in Stripe's format and signed with a local webhook
// secret exactly as Stripe signs them, so the webhook route verifies them with the same code
// (verifyStripeWebhook) as on AWS. No network: the Stripe client here only signs and verifies.
import type Stripe from 'stripe';
import type { Topup } from '../../core/payments/topup-records.ts';
import type { PaymentProvider } from '../../core/ports.ts';
import { createStripeClient } from '../stripe/stripe-client.ts';
import { verifyStripeWebhook } from '../stripe/stripe-payment-provider.ts';

export type CreateLocalPaymentProviderOptions = { publicUrl: string; webhookSecret: string };

const offlineStripe = () => createStripeClient({ secretKey: 'sk_test_local_stack_offline' });

export const localSessionId = (topupId: string) => `cs_local_${topupId}`;

export function createLocalPaymentProvider(options: CreateLocalPaymentProviderOptions): PaymentProvider {
  const stripe = offlineStripe();
  return {
    async createCheckout(checkout) {
      return {
        sessionId: localSessionId(checkout.topupId),
        checkoutUrl: `${options.publicUrl}/dev/pay/${encodeURIComponent(checkout.topupId)}`,
      };
    },
    parseWebhook: async (webhook) => verifyStripeWebhook({ stripe, webhookSecret: options.webhookSecret, ...webhook }),
  };
}

export type LocalCheckoutOutcome = 'paid' | 'canceled';

export type BuildLocalCheckoutEventOptions = {
  topup: Topup;
  outcome: LocalCheckoutOutcome;
  /** Unique per event, as Stripe's evt_ ids. */
  eventId: string;
  createdAt: Date;
  successUrl: string;
  cancelUrl: string;
};

/** The event Stripe would send: checkout.session.completed (paid) or checkout.session.expired. */
export function buildLocalCheckoutEvent(options: BuildLocalCheckoutEventOptions): Record<string, unknown> {
  const { topup, outcome } = options;
  const created = Math.floor(options.createdAt.getTime() / 1000);
  const paid = outcome === 'paid';
  return {
    id: options.eventId,
    object: 'event',
    api_version: '2025-08-27.basil',
    created,
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type: paid ? 'checkout.session.completed' : 'checkout.session.expired',
    data: {
      object: {
        id: topup.sessionId ?? localSessionId(topup.id),
        object: 'checkout.session',
        mode: 'payment',
        client_reference_id: topup.id,
        customer_email: topup.email,
        currency: 'eur',
        amount_subtotal: topup.totalCents,
        amount_total: topup.totalCents,
        payment_status: paid ? 'paid' : 'unpaid',
        status: paid ? 'complete' : 'expired',
        payment_intent: paid ? `pi_local_${topup.id.replace(/^tu_/, '')}` : null,
        metadata: { topupId: topup.id },
        success_url: options.successUrl,
        cancel_url: options.cancelUrl,
        created,
        livemode: false,
      },
    },
  };
}

/** The Stripe-Signature header for this exact payload, computed as Stripe computes it. */
export function signLocalEvent(options: { payload: string; webhookSecret: string; stripe?: Stripe }): string {
  const stripe = options.stripe ?? offlineStripe();
  return stripe.webhooks.generateTestHeaderString({ payload: options.payload, secret: options.webhookSecret });
}
