// The PaymentProvider on Stripe: a Checkout Session (mode payment, EUR, one line for the total incl.
// VAT, client_reference_id = our top-up id), created over Stripe's REST API (stripe-checkout-rest.ts),
// and webhook events verified with the endpoint's signing secret by `stripe.webhooks.constructEvent`
// over the raw body, then reduced to what the domain acts on. The `stripe` package loads with the
// first webhook (stripe-client.ts), so a function that only starts top-ups never reads it. The
// local stack's provider verifies its own events with the same function.
import type Stripe from 'stripe';
import { DomainError } from '../../core/errors.ts';
import type { PaymentEvent, PaymentProvider, ParseWebhookOptions } from '../../core/ports.ts';
import { createStripeCheckoutSession, type StripeApiEndpoint } from './stripe-checkout-rest.ts';

export type { StripeApiEndpoint };

export type CreateStripePaymentProviderOptions = {
  secretKey: string;
  webhookSecret: string;
  /** Another Checkout API than api.stripe.com (the tests' local stub). */
  api?: StripeApiEndpoint;
};

export function createStripePaymentProvider(options: CreateStripePaymentProviderOptions): PaymentProvider {
  let client: Promise<Stripe> | undefined;
  const stripe = () =>
    (client ??= import('./stripe-client.ts').then(({ createStripeClient }) => createStripeClient(options)));
  return {
    createCheckout: (checkout) =>
      createStripeCheckoutSession({ secretKey: options.secretKey, api: options.api, checkout }),
    parseWebhook: async (webhook) =>
      verifyStripeWebhook({ stripe: await stripe(), webhookSecret: options.webhookSecret, ...webhook }),
  };
}

export type VerifyStripeWebhookOptions = ParseWebhookOptions & { stripe: Stripe; webhookSecret: string };

/** The event when the `Stripe-Signature` header signs this exact body with the secret (5 minutes' tolerance). */
export function verifyStripeWebhook(options: VerifyStripeWebhookOptions): PaymentEvent {
  if (!options.signatureHeader)
    throw new DomainError({ code: 'WEBHOOK_SIGNATURE_INVALID', message: 'The Stripe-Signature header is missing.' });
  let event: Stripe.Event;
  try {
    const body = typeof options.rawBody === 'string' ? options.rawBody : Buffer.from(options.rawBody);
    event = options.stripe.webhooks.constructEvent(body, options.signatureHeader, options.webhookSecret);
  } catch (error) {
    throw new DomainError({
      code: 'WEBHOOK_SIGNATURE_INVALID',
      message: 'The webhook signature does not match this body.',
      cause: error,
    });
  }
  return toPaymentEvent(event);
}

export function toPaymentEvent(event: Stripe.Event): PaymentEvent {
  const ignored: PaymentEvent = { kind: 'ignored', eventId: event.id, type: event.type };
  switch (event.type) {
    case 'checkout.session.completed':
    case 'checkout.session.async_payment_succeeded': {
      const session = event.data.object;
      if (session.payment_status !== 'paid' || !session.client_reference_id) return ignored;
      const intent = session.payment_intent;
      return {
        kind: 'paid',
        eventId: event.id,
        sessionId: session.id,
        topupId: session.client_reference_id,
        paymentReference: (typeof intent === 'string' ? intent : intent?.id) ?? session.id,
        amountTotalCents: session.amount_total ?? 0,
        currency: session.currency ?? '',
      };
    }
    case 'checkout.session.expired':
    case 'checkout.session.async_payment_failed': {
      const session = event.data.object;
      if (!session.client_reference_id) return ignored;
      return {
        kind: 'closed',
        eventId: event.id,
        sessionId: session.id,
        topupId: session.client_reference_id,
        reason: event.type === 'checkout.session.expired' ? 'expired' : 'canceled',
      };
    }
    default:
      return ignored;
  }
}
