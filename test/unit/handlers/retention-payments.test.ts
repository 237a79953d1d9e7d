// The daily job also finishes a payment whose delivery died midway (and Stripe gave up).
import { describe, expect, it, vi } from 'vitest';
import { getAccount } from '../../../lambdas/core/accounts/account-records.ts';
import { recordPaymentEvent } from '../../../lambdas/core/payments/record-payment.ts';
import { startTopup } from '../../../lambdas/core/payments/start-topup.ts';
import { createRetentionHandler } from '../../../lambdas/handlers/retention.ts';
import { crashOnce, SimulatedCrash } from '../core/billing/crashing-store.ts';
import { BUYER, createPaymentDeps, paidEvent, sessionFor, testBilling } from '../core/payments/payment-fixture.ts';

describe('retention handler', () => {
  it('finishes a paid top-up left unfinished when invoicing is configured', async () => {
    const deps = createPaymentDeps();
    const topup = await startTopup({ deps, token: await sessionFor(deps), amountCents: 2000 });
    const crashing = crashOnce({
      store: deps.store,
      when: (w) => w.method === 'put' && w.item.sk.startsWith('INVOICE#'),
    });
    await expect(
      recordPaymentEvent({ deps: { ...deps, store: crashing }, event: paidEvent(topup.id, 2400) }),
    ).rejects.toBeInstanceOf(SimulatedCrash);
    deps.advance(24 * 3_600_000);
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});

    await createRetentionHandler(
      () => deps,
      () => testBilling,
    )();

    log.mockRestore();
    expect((await getAccount(deps.store, BUYER))?.balanceCents).toBe(2000);
    expect(deps.sentMail.length).toBeGreaterThanOrEqual(1);
  });
});
