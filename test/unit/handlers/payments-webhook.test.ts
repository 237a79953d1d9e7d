// The webhook route with the local provider (Stripe's own signing and verification) over the
// in-memory fakes: 400 and no change for bad signatures, 200 and no change for what it does not
// act on, 200 and one credit for a paid session however often it is delivered.
import { describe, expect, it, vi } from 'vitest';
import {
  buildLocalCheckoutEvent,
  createLocalPaymentProvider,
  signLocalEvent,
} from '../../../lambdas/adapters/local/local-payment-provider.ts';
import { getAccount, listLedger } from '../../../lambdas/core/accounts/account-records.ts';
import { startTopup } from '../../../lambdas/core/payments/start-topup.ts';
import { getTopup } from '../../../lambdas/core/payments/topup-records.ts';
import type { HttpApiEvent } from '../../../lambdas/handlers/http/api-gateway-types.ts';
import { createPaymentsWebhookHandler } from '../../../lambdas/handlers/payments-webhook.ts';
import { httpEvent } from './http-events.ts';
import { BUYER, createPaymentDeps, sessionFor } from '../core/payments/payment-fixture.ts';

const SECRET = 'whsec_unit_test';

async function setup() {
  const deps = createPaymentDeps();
  deps.payments = createLocalPaymentProvider({ publicUrl: deps.settings.publicUrl, webhookSecret: SECRET });
  const handler = createPaymentsWebhookHandler(() => deps);
  const started = await startTopup({ deps, token: await sessionFor(deps), amountCents: 2000 });
  const topup = await getTopup(deps.store, started.id);
  if (!topup) throw new Error('no top-up');
  const event = (outcome: 'paid' | 'canceled', overrides: Record<string, unknown> = {}) =>
    JSON.stringify({
      ...buildLocalCheckoutEvent({
        topup,
        outcome,
        eventId: 'evt_1',
        createdAt: new Date(),
        successUrl: 'https://x.test/s',
        cancelUrl: 'https://x.test/c',
      }),
      ...overrides,
    });
  return { deps, handler, topup, event };
}

const request = (body: string, signature?: string, base64 = false): HttpApiEvent => ({
  ...httpEvent('POST', '/api/payments/webhook', {
    rawBody: body,
    headers: { 'content-type': 'application/json', ...(signature !== undefined && { 'stripe-signature': signature }) },
  }),
  body: base64 ? Buffer.from(body).toString('base64') : body,
  isBase64Encoded: base64,
});

describe('POST /api/payments/webhook', () => {
  it('credits a signed paid session once, however often it is delivered', async () => {
    const { deps, handler, event } = await setup();
    const body = event('paid');
    for (let i = 0; i < 4; i += 1) {
      const response = await handler(
        request(body, signLocalEvent({ payload: body, webhookSecret: SECRET }), i % 2 === 1),
      );
      expect(response.statusCode).toBe(200);
    }
    expect((await getAccount(deps.store, BUYER))?.balanceCents).toBe(2000);
    expect(await listLedger(deps.store, BUYER)).toHaveLength(1);
  });

  it.each([
    ['no signature', (body: string) => request(body)],
    [
      'a signature from another secret',
      (body: string) => request(body, signLocalEvent({ payload: body, webhookSecret: 'whsec_forged' })),
    ],
    [
      'a signature over another body',
      (body: string) =>
        request(body.replace('"paid"', '"paid" '), signLocalEvent({ payload: body, webhookSecret: SECRET })),
    ],
  ])('answers 400 to %s, logs it for the alarm, and changes nothing', async (_name, make) => {
    const { deps, handler, event } = await setup();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const response = await handler(make(event('paid')));
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body ?? '{}')).toMatchObject({ code: 'WEBHOOK_SIGNATURE_INVALID' });
    expect(warn.mock.calls.map((c) => JSON.parse(String(c[0])).event)).toEqual(['payments.webhook-signature-invalid']);
    warn.mockRestore();
    expect((await getAccount(deps.store, BUYER))?.balanceCents).toBe(0);
    expect(deps.sentMail).toEqual([]);
  });

  it('answers 200 and changes nothing for an unhandled type or an unknown top-up', async () => {
    const { deps, handler, event } = await setup();
    const other = event('paid', { type: 'customer.created' });
    const unknown = event('paid').replaceAll('"tu_', '"tu_unknown');
    for (const body of [other, unknown]) {
      const response = await handler(request(body, signLocalEvent({ payload: body, webhookSecret: SECRET })));
      expect(response.statusCode).toBe(200);
      expect(JSON.parse(response.body ?? '{}')).toEqual({ received: true, outcome: 'ignored' });
    }
    expect((await getAccount(deps.store, BUYER))?.balanceCents).toBe(0);
  });

  it('closes the top-up on an expired session and credits nothing', async () => {
    const { deps, handler, event, topup } = await setup();
    const body = event('canceled');
    const response = await handler(request(body, signLocalEvent({ payload: body, webhookSecret: SECRET })));
    expect(JSON.parse(response.body ?? '{}')).toEqual({ received: true, outcome: 'closed' });
    expect(await getTopup(deps.store, topup.id)).toMatchObject({ status: 'closed' });
    expect((await getAccount(deps.store, BUYER))?.balanceCents).toBe(0);
  });
});
