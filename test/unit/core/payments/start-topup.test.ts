import { describe, expect, it } from 'vitest';
import { setAccountStatus } from '../../../../lambdas/core/accounts/manage-account.ts';
import { startTopup } from '../../../../lambdas/core/payments/start-topup.ts';
import { getTopup } from '../../../../lambdas/core/payments/topup-records.ts';
import { BUYER, createPaymentDeps, sessionFor } from './payment-fixture.ts';

describe('startTopup', () => {
  it('records an open top-up and opens a checkout for the total incl. VAT', async () => {
    const deps = createPaymentDeps();
    const token = await sessionFor(deps);

    const started = await startTopup({ deps, token, amountCents: 2000 });

    expect(started).toMatchObject({ amountCents: 2000, vatCents: 400, totalCents: 2400 });
    expect(started.checkoutUrl).toBe(`https://checkout.test/${started.id}`);
    expect(deps.checkouts).toEqual([
      expect.objectContaining({
        topupId: started.id,
        customerEmail: BUYER,
        totalCents: 2400,
        successUrl: `https://sign.example.test/account.html?topup=${started.id}&outcome=paid`,
        cancelUrl: `https://sign.example.test/account.html?topup=${started.id}&outcome=canceled`,
      }),
    ]);
    expect(await getTopup(deps.store, started.id)).toMatchObject({
      email: BUYER,
      status: 'open',
      sessionId: `cs_test_${started.id}`,
    });
  });

  it('rounds the VAT to the cent', async () => {
    const deps = createPaymentDeps();
    const token = await sessionFor(deps);
    expect(await startTopup({ deps, token, amountCents: 1234 })).toMatchObject({ vatCents: 247, totalCents: 1481 });
  });

  it.each([999, 100_001, 1500.5, '2000', undefined, null, -2000])('refuses %s with AMOUNT_INVALID', async (amount) => {
    const deps = createPaymentDeps();
    const token = await sessionFor(deps);
    await expect(startTopup({ deps, token, amountCents: amount })).rejects.toMatchObject({ code: 'AMOUNT_INVALID' });
    expect(deps.checkouts).toEqual([]);
  });

  it('accepts the bounds, 10 and 1,000 EUR', async () => {
    const deps = createPaymentDeps();
    const token = await sessionFor(deps);
    await startTopup({ deps, token, amountCents: 1000 });
    await startTopup({ deps, token, amountCents: 100_000 });
    expect(deps.checkouts.map((c) => c.totalCents)).toEqual([1200, 120_000]);
  });

  it('needs a session', async () => {
    const deps = createPaymentDeps();
    await expect(startTopup({ deps, token: undefined, amountCents: 2000 })).rejects.toMatchObject({
      code: 'TOKEN_INVALID',
    });
  });

  it.each([
    ['suspended', 'ACCOUNT_SUSPENDED'],
    ['closed', 'ACCOUNT_CLOSED'],
  ] as const)('refuses a %s account with %s', async (status, code) => {
    const deps = createPaymentDeps();
    const token = await sessionFor(deps);
    await setAccountStatus({ store: deps.store, clock: deps.clock, email: BUYER, status });
    await expect(startTopup({ deps, token, amountCents: 2000 })).rejects.toMatchObject({ code });
    expect(deps.checkouts).toEqual([]);
  });
});
