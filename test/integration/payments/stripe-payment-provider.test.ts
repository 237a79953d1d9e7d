// The Stripe adapter against a local HTTP stub of the Checkout API (pointed at it with
// host/port/protocol): what is sent, what is read back, and the webhook verification with
// signatures made by the real `stripe` package, as Stripe makes them.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStripeClient } from '../../../lambdas/adapters/stripe/stripe-client.ts';
import { createStripePaymentProvider } from '../../../lambdas/adapters/stripe/stripe-payment-provider.ts';

type Captured = { method: string; path: string; headers: IncomingMessage['headers']; form: URLSearchParams };
let server: Server;
let port: number;
const captured: Captured[] = [];
let answer: { status: number; body: unknown } = { status: 200, body: {} };
/** Answers given first, one per request, before `answer`. */
const firstAnswers: { status: number; body: unknown }[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      captured.push({
        method: request.method ?? '',
        path: request.url ?? '',
        headers: request.headers,
        form: new URLSearchParams(Buffer.concat(chunks).toString('utf8')),
      });
      const given = firstAnswers.shift() ?? answer;
      response.writeHead(given.status, { 'content-type': 'application/json', 'request-id': 'req_stub' });
      response.end(JSON.stringify(given.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const WEBHOOK_SECRET = 'whsec_test_stub_secret';
const provider = () =>
  createStripePaymentProvider({
    secretKey: 'sk_test_stub',
    webhookSecret: WEBHOOK_SECRET,
    api: { host: '127.0.0.1', port, protocol: 'http' },
  });

const checkout = {
  topupId: 'tu_0123456789abcdef',
  customerEmail: 'claire@agence-dubois.fr',
  totalCents: 2400,
  description: 'Recharge / Top-up',
  successUrl: 'https://sign.example.test/account.html?topup=tu_0123456789abcdef&outcome=paid',
  cancelUrl: 'https://sign.example.test/account.html?topup=tu_0123456789abcdef&outcome=canceled',
};

describe('Stripe Checkout session', () => {
  it('creates a payment session in EUR for the total incl. VAT, with our top-up id', async () => {
    captured.length = 0;
    answer = {
      status: 200,
      body: { id: 'cs_test_a1', object: 'checkout.session', url: 'https://checkout.stripe.com/c/pay/cs_test_a1' },
    };

    const session = await provider().createCheckout(checkout);

    expect(session).toEqual({ sessionId: 'cs_test_a1', checkoutUrl: 'https://checkout.stripe.com/c/pay/cs_test_a1' });
    const [request] = captured;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/v1/checkout/sessions');
    expect(request?.headers.authorization).toBe('Bearer sk_test_stub');
    expect(request?.headers['idempotency-key']).toBe('checkout-tu_0123456789abcdef');
    expect(Object.fromEntries(request?.form ?? [])).toEqual({
      mode: 'payment',
      client_reference_id: 'tu_0123456789abcdef',
      customer_email: 'claire@agence-dubois.fr',
      'line_items[0][quantity]': '1',
      'line_items[0][price_data][currency]': 'eur',
      'line_items[0][price_data][unit_amount]': '2400',
      'line_items[0][price_data][product_data][name]': 'Recharge / Top-up',
      'metadata[topupId]': 'tu_0123456789abcdef',
      success_url: checkout.successUrl,
      cancel_url: checkout.cancelUrl,
    });
  });

  it('tries again after a server error, with the same idempotency key', async () => {
    captured.length = 0;
    firstAnswers.push({ status: 503, body: { error: { type: 'api_error', message: 'overloaded' } } });
    answer = {
      status: 200,
      body: { id: 'cs_test_a2', object: 'checkout.session', url: 'https://checkout.stripe.com/c/pay/cs_test_a2' },
    };

    const session = await provider().createCheckout(checkout);

    expect(session.sessionId).toBe('cs_test_a2');
    expect(captured.map((request) => request.headers['idempotency-key'])).toEqual([
      'checkout-tu_0123456789abcdef',
      'checkout-tu_0123456789abcdef',
    ]);
  });

  it('reports a refusal from Stripe as an error', async () => {
    answer = {
      status: 400,
      body: { error: { type: 'invalid_request_error', message: 'Amount must be at least €0.50 eur' } },
    };
    await expect(provider().createCheckout(checkout)).rejects.toThrow(/Amount must be at least/);
  });
});

function completedEvent(overrides: Record<string, unknown> = {}, type = 'checkout.session.completed'): string {
  return JSON.stringify({
    id: 'evt_1',
    object: 'event',
    type,
    data: {
      object: {
        id: 'cs_test_a1',
        object: 'checkout.session',
        client_reference_id: 'tu_0123456789abcdef',
        payment_status: 'paid',
        payment_intent: 'pi_123',
        amount_total: 2400,
        currency: 'eur',
        ...overrides,
      },
    },
  });
}

const sign = (payload: string, secret = WEBHOOK_SECRET, timestamp?: number) =>
  createStripeClient({ secretKey: 'sk_test_unused' }).webhooks.generateTestHeaderString({
    payload,
    secret,
    ...(timestamp !== undefined && { timestamp }),
  });

describe('Stripe webhook verification', () => {
  it('reads a signed checkout.session.completed as paid', async () => {
    const body = completedEvent();
    expect(await provider().parseWebhook({ rawBody: body, signatureHeader: sign(body) })).toEqual({
      kind: 'paid',
      eventId: 'evt_1',
      sessionId: 'cs_test_a1',
      topupId: 'tu_0123456789abcdef',
      paymentReference: 'pi_123',
      amountTotalCents: 2400,
      currency: 'eur',
    });
  });

  it('accepts the raw body as bytes', async () => {
    const body = completedEvent();
    const event = await provider().parseWebhook({ rawBody: Buffer.from(body), signatureHeader: sign(body) });
    expect(event.kind).toBe('paid');
  });

  it.each([
    ['missing', (body: string) => ({ rawBody: body, signatureHeader: undefined })],
    ['from another secret', (body: string) => ({ rawBody: body, signatureHeader: sign(body, 'whsec_other') })],
    ['over another body', (body: string) => ({ rawBody: body.replace('2400', '240000'), signatureHeader: sign(body) })],
    [
      'too old (replayed)',
      (body: string) => ({
        rawBody: body,
        signatureHeader: sign(body, WEBHOOK_SECRET, Math.floor(Date.now() / 1000) - 600),
      }),
    ],
    ['garbage', (body: string) => ({ rawBody: body, signatureHeader: 't=1,v1=00' })],
  ])('refuses a signature %s', async (_name, make) => {
    await expect(provider().parseWebhook(make(completedEvent()))).rejects.toMatchObject({
      code: 'WEBHOOK_SIGNATURE_INVALID',
    });
  });

  it('reads an expired session as closed and an unpaid completion or another type as ignored', async () => {
    const read = (body: string) => provider().parseWebhook({ rawBody: body, signatureHeader: sign(body) });
    expect(await read(completedEvent({ payment_status: 'unpaid' }, 'checkout.session.expired'))).toMatchObject({
      kind: 'closed',
      reason: 'expired',
      topupId: 'tu_0123456789abcdef',
    });
    expect(await read(completedEvent({ payment_status: 'unpaid' }))).toMatchObject({ kind: 'ignored' });
    expect(await read(completedEvent({}, 'payment_intent.succeeded'))).toMatchObject({
      kind: 'ignored',
      type: 'payment_intent.succeeded',
    });
  });
});
