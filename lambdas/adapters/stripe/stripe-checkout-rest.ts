// Creates a Stripe Checkout Session with one HTTPS call to Stripe's REST API (form-encoded, as
// Stripe's own clients send it), without the `stripe` package: the account API starts top-ups and
// should not load a 125 KB client for one request. Same wire as the package: Bearer secret key, a
// pinned Stripe-Version, an Idempotency-Key per top-up (so a retried call yields the same session),
// and retries of network failures, 409, 429 and 5xx answers (at most two, as the package was set).
import type { CheckoutSession, CreateCheckoutOptions } from '../../core/ports.ts';

/** The API version of the `stripe` package the webhook side is built with (stripe@18.5). */
export const STRIPE_API_VERSION = '2025-08-27.basil';

export type StripeApiEndpoint = { host: string; port: number; protocol: 'http' | 'https' };

export type CreateStripeCheckoutSessionOptions = {
  secretKey: string;
  /** Another API than api.stripe.com (the tests' local stub). */
  api?: StripeApiEndpoint;
  checkout: CreateCheckoutOptions;
  timeoutMs?: number;
  maxRetries?: number;
};

/** The form body Stripe expects: nested fields as `a[b][0]` keys. */
function checkoutForm(checkout: CreateCheckoutOptions): URLSearchParams {
  return new URLSearchParams({
    mode: 'payment',
    client_reference_id: checkout.topupId,
    customer_email: checkout.customerEmail,
    'line_items[0][quantity]': '1',
    'line_items[0][price_data][currency]': 'eur',
    'line_items[0][price_data][unit_amount]': String(checkout.totalCents),
    'line_items[0][price_data][product_data][name]': checkout.description,
    'metadata[topupId]': checkout.topupId,
    success_url: checkout.successUrl,
    cancel_url: checkout.cancelUrl,
  });
}

const retryable = (status: number) => status === 409 || status === 429 || status >= 500;

/** Before another try: 0.5 s, then 1 s (the package's schedule, without its jitter). */
const backOff = (attempt: number) => new Promise((resolve) => setTimeout(resolve, 500 * 2 ** attempt));

export async function createStripeCheckoutSession(
  options: CreateStripeCheckoutSessionOptions,
): Promise<CheckoutSession> {
  const { api, checkout } = options;
  const base = api ? `${api.protocol}://${api.host}:${api.port}` : 'https://api.stripe.com';
  const maxRetries = options.maxRetries ?? 2;
  for (let attempt = 0; ; attempt += 1) {
    let response: Response;
    try {
      response = await fetch(`${base}/v1/checkout/sessions`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${options.secretKey}`,
          'content-type': 'application/x-www-form-urlencoded',
          'stripe-version': STRIPE_API_VERSION,
          // One session per top-up, even if this call is retried.
          'idempotency-key': `checkout-${checkout.topupId}`,
        },
        body: checkoutForm(checkout),
        signal: AbortSignal.timeout(options.timeoutMs ?? 20_000),
      });
    } catch (error) {
      if (attempt < maxRetries) {
        await backOff(attempt);
        continue;
      }
      throw new Error('Stripe could not be reached to create the checkout session', { cause: error });
    }
    if (!response.ok && retryable(response.status) && attempt < maxRetries) {
      await response.body?.cancel();
      await backOff(attempt);
      continue;
    }
    const body = (await response.json().catch(() => ({}))) as {
      id?: string;
      url?: string | null;
      error?: { message?: string };
    };
    // As the package did: Stripe's refusal, in its words (never the secret key), for the caller's 500.
    if (!response.ok)
      throw new Error(
        `Stripe answered ${response.status} (request ${response.headers.get('request-id') ?? 'unknown'}): ` +
          (body.error?.message ?? 'no error message'),
      );
    if (!body.id) throw new Error('Stripe returned a checkout session without an id');
    if (!body.url) throw new Error(`Stripe returned checkout session ${body.id} without a URL`);
    return { sessionId: body.id, checkoutUrl: body.url };
  }
}
