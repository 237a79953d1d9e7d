// The `stripe` package's client, for what it alone does here: verifying and (locally, in tests)
// signing webhook events. Kept apart so that importing the payment provider does not load it:
// the provider imports this module on the first webhook it verifies.
import Stripe from 'stripe';
import type { StripeApiEndpoint } from './stripe-checkout-rest.ts';

export function createStripeClient(options: { secretKey: string; api?: StripeApiEndpoint }): Stripe {
  return new Stripe(options.secretKey, {
    ...(options.api && { host: options.api.host, port: options.api.port, protocol: options.api.protocol }),
    maxNetworkRetries: 2,
    timeout: 20_000,
  });
}
