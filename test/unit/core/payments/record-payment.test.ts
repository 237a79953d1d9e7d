import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { getAccount, listLedger } from '../../../../lambdas/core/accounts/account-records.ts';
import { setAccountStatus } from '../../../../lambdas/core/accounts/manage-account.ts';
import { listAccountInvoices } from '../../../../lambdas/core/payments/invoice-records.ts';
import { completePendingPayments, recordPaymentEvent } from '../../../../lambdas/core/payments/record-payment.ts';
import { startTopup } from '../../../../lambdas/core/payments/start-topup.ts';
import { getTopup } from '../../../../lambdas/core/payments/topup-records.ts';
import type { Store } from '../../../../lambdas/core/ports.ts';
import { crashOnce, SimulatedCrash } from '../billing/crashing-store.ts';
import { BUYER, createPaymentDeps, paidEvent, sessionFor, type PaymentFakeDeps } from './payment-fixture.ts';

async function startOne(deps: PaymentFakeDeps, amountCents = 2000, email = BUYER) {
  const token = await sessionFor(deps, email);
  return startTopup({ deps, token, amountCents });
}

describe('recordPaymentEvent', () => {
  it('credits a paid top-up once, names the top-up and invoice in the ledger, and mails the invoice', async () => {
    const deps = createPaymentDeps();
    const topup = await startOne(deps);

    const outcome = await recordPaymentEvent({ deps, event: paidEvent(topup.id, 2400) });

    expect(outcome).toEqual({
      outcome: 'credited',
      topupId: topup.id,
      invoiceNumber: 'MS-2026-000001',
      balanceAfterCents: 2000,
    });
    expect(await listLedger(deps.store, BUYER)).toEqual([
      expect.objectContaining({
        type: 'credit',
        amountCents: 2000,
        balanceAfterCents: 2000,
        topupId: topup.id,
        invoiceNumber: 'MS-2026-000001',
      }),
    ]);
    const [mail] = await deps.parseSentMail();
    expect(mail?.subject).toContain('MS-2026-000001');
    expect(mail?.deliveredTo).toEqual([BUYER]);
    expect(mail?.attachments.map((a) => a.contentType)).toEqual(['application/pdf']);
    expect(await getTopup(deps.store, topup.id)).toMatchObject({ status: 'paid', paymentReference: `pi_${topup.id}` });
  });

  it('changes nothing on redeliveries, sequential or simultaneous', async () => {
    const deps = createPaymentDeps();
    const topup = await startOne(deps);
    await recordPaymentEvent({ deps, event: paidEvent(topup.id, 2400) });

    for (let i = 0; i < 3; i += 1) await recordPaymentEvent({ deps, event: paidEvent(topup.id, 2400) });
    await Promise.all([1, 2, 3].map(() => recordPaymentEvent({ deps, event: paidEvent(topup.id, 2400) })));

    expect((await getAccount(deps.store, BUYER))?.balanceCents).toBe(2000);
    expect(await listLedger(deps.store, BUYER)).toHaveLength(1);
    expect(await listAccountInvoices(deps.store, BUYER)).toHaveLength(1);
    expect(deps.sentMail).toHaveLength(1);
  });

  it('credits once when the first deliveries arrive at the same moment', async () => {
    const deps = createPaymentDeps();
    const topup = await startOne(deps);
    await Promise.all([1, 2, 3, 4].map(() => recordPaymentEvent({ deps, event: paidEvent(topup.id, 2400) })));
    expect((await getAccount(deps.store, BUYER))?.balanceCents).toBe(2000);
    expect((await listAccountInvoices(deps.store, BUYER)).map((i) => i.number)).toEqual(['MS-2026-000001']);
  });

  it('gives two payments at the same moment two consecutive invoice numbers', async () => {
    const deps = createPaymentDeps();
    const first = await startOne(deps, 2000);
    const second = await startOne(deps, 5000, 'marc@garage-leroy.fr');

    const outcomes = await Promise.all([
      recordPaymentEvent({ deps, event: paidEvent(first.id, 2400) }),
      recordPaymentEvent({ deps, event: paidEvent(second.id, 6000) }),
    ]);

    const numbers = outcomes.map((o) => (o.outcome === 'credited' ? o.invoiceNumber : '')).sort();
    expect(numbers).toEqual(['MS-2026-000001', 'MS-2026-000002']);
  });

  it('credits nothing for an expired or canceled session, and a late expiry changes nothing', async () => {
    const deps = createPaymentDeps();
    const expired = await startOne(deps);
    const paid = await startOne(deps);
    const closed = (topupId: string) =>
      ({ kind: 'closed', eventId: 'evt', sessionId: `cs_test_${topupId}`, topupId, reason: 'expired' }) as const;

    expect(await recordPaymentEvent({ deps, event: closed(expired.id) })).toEqual({
      outcome: 'closed',
      topupId: expired.id,
    });
    await recordPaymentEvent({ deps, event: paidEvent(paid.id, 2400) });
    await recordPaymentEvent({ deps, event: closed(paid.id) });

    expect(await getTopup(deps.store, expired.id)).toMatchObject({ status: 'closed' });
    expect(await getTopup(deps.store, paid.id)).toMatchObject({ status: 'paid' });
    expect((await getAccount(deps.store, BUYER))?.balanceCents).toBe(2000);
  });

  it('ignores unknown top-ups, other sessions, other amounts and other event types', async () => {
    const deps = createPaymentDeps();
    const topup = await startOne(deps);
    const events = [
      paidEvent('tu_unknown', 2400),
      { ...paidEvent(topup.id, 2400), sessionId: 'cs_other' },
      paidEvent(topup.id, 100),
      { ...paidEvent(topup.id, 2400), currency: 'usd' },
      { kind: 'ignored', eventId: 'evt', type: 'payment_intent.created' } as const,
    ];
    for (const event of events) expect((await recordPaymentEvent({ deps, event })).outcome).toBe('ignored');
    expect((await getAccount(deps.store, BUYER))?.balanceCents).toBe(0);
    expect(deps.sentMail).toEqual([]);
  });

  it('still credits a payment made before the account was suspended', async () => {
    const deps = createPaymentDeps();
    const topup = await startOne(deps);
    await setAccountStatus({ store: deps.store, clock: deps.clock, email: BUYER, status: 'suspended' });
    await recordPaymentEvent({ deps, event: paidEvent(topup.id, 2400) });
    expect((await getAccount(deps.store, BUYER))?.balanceCents).toBe(2000);
  });

  it('renders a one-page A4 invoice', async () => {
    const deps = createPaymentDeps();
    const topup = await startOne(deps);
    await recordPaymentEvent({ deps, event: paidEvent(topup.id, 2400) });
    const pdf = (await deps.parseSentMail())[0]?.attachments[0]?.content as Buffer;
    const doc = await PDFDocument.load(pdf);
    expect(doc.getPageCount()).toBe(1);
    expect(doc.getPage(0).getSize()).toEqual({ width: 595.28, height: 841.89 });
    expect(doc.getTitle()).toBe('Facture / Invoice MS-2026-000001');
  });
});

/** Counts the writes of a clean run, so every crash point can be tried. */
function countingStore(store: Store): Store & { writes(): number } {
  let writes = 0;
  return {
    writes: () => writes,
    get: (key) => store.get(key),
    query: (pk, options) => store.query(pk, options),
    put(item, options) {
      writes += 1;
      return store.put(item, options);
    },
    update(key, options) {
      writes += 1;
      return store.update(key, options);
    },
    delete(key) {
      writes += 1;
      return store.delete(key);
    },
  };
}

describe('recordPaymentEvent after a crash at any write', () => {
  async function writesOfCleanRun(): Promise<number> {
    const deps = createPaymentDeps();
    const topup = await startOne(deps);
    const counting = countingStore(deps.store);
    await recordPaymentEvent({ deps: { ...deps, store: counting }, event: paidEvent(topup.id, 2400) });
    return counting.writes();
  }

  it('is finished exactly once by a redelivery, or by the daily job, whatever write failed', async () => {
    const total = await writesOfCleanRun();
    expect(total).toBeGreaterThan(6);
    for (let n = 1; n <= total; n += 1) {
      for (const resume of ['redelivery', 'daily job'] as const) {
        const deps = createPaymentDeps();
        const topup = await startOne(deps);
        let seen = 0;
        const crashing = crashOnce({
          store: deps.store,
          when: () => {
            seen += 1;
            return seen === n;
          },
        });
        await expect(
          recordPaymentEvent({ deps: { ...deps, store: crashing }, event: paidEvent(topup.id, 2400) }),
        ).rejects.toBeInstanceOf(SimulatedCrash);

        if (resume === 'redelivery') await recordPaymentEvent({ deps, event: paidEvent(topup.id, 2400) });
        else {
          deps.advance(2 * 3_600_000);
          await completePendingPayments(deps);
          await recordPaymentEvent({ deps, event: paidEvent(topup.id, 2400) }); // Stripe retries too
        }
        // A later payment takes the next number: nothing was skipped.
        const next = await startOne(deps, 1000);
        await recordPaymentEvent({ deps, event: paidEvent(next.id, 1200) });

        const context = `crash at write ${n}, resumed by ${resume}`;
        expect((await getAccount(deps.store, BUYER))?.balanceCents, context).toBe(3000);
        const ledger = await listLedger(deps.store, BUYER);
        expect(
          ledger.map((e) => [e.topupId, e.invoiceNumber]),
          context,
        ).toEqual([
          [topup.id, 'MS-2026-000001'],
          [next.id, 'MS-2026-000002'],
        ]);
        expect(
          (await listAccountInvoices(deps.store, BUYER)).map((i) => i.topupId),
          context,
        ).toEqual([topup.id, next.id]);
        const subjects = (await deps.parseSentMail()).map((m) => m.subject ?? '');
        expect(subjects.filter((s) => s.includes('MS-2026-000001')).length, context).toBeGreaterThanOrEqual(1);
        expect(await deps.store.query('PENDING-PAYMENTS'), context).toEqual([]);
      }
    }
  });
});
