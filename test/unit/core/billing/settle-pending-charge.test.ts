// A charge interrupted by a crash at each of its steps is finished by settlePendingCharge once stale:
// one debit, the record decided, the balance right, the price an uninterrupted run would have made;
// fresh charges are left to their caller and two settlers at once settle once.
import { describe, expect, it } from 'vitest';
import { creditAccount, showAccount } from '../../../../lambdas/core/accounts/manage-account.ts';
import { chargeSignature } from '../../../../lambdas/core/billing/charge-signature.ts';
import {
  PENDING_CHARGE_LEASE_MS,
  PENDING_CHARGE_STALE_MS,
  settleListedPendingCharges,
  settlePendingCharge,
  settlePendingCharges,
} from '../../../../lambdas/core/billing/settle-pending-charge.ts';
import { PENDING_CHARGES_PK, signatureChargeKey } from '../../../../lambdas/core/billing/signature-records.ts';
import type { Store } from '../../../../lambdas/core/ports.ts';
import { createFakeDeps, type FakeDeps } from '../../../support/fake-deps.ts';
import { crashOnce, crashPoints, pauseOnce, SimulatedCrash, type CrashingWrite } from './crashing-store.ts';

const EMAIL = 'claire@agence-dubois.fr';
const STALE = PENDING_CHARGE_STALE_MS + 1000;

const chargeWith = (deps: FakeDeps, store: Store, envelopeId: string, at = deps.clock.now().toISOString()) =>
  chargeSignature({ store, clock: deps.clock, email: EMAIL, envelopeId, position: 1, at });

const settle = (deps: FakeDeps, envelopeId = 'env10', store: Store = deps.store) =>
  settlePendingCharge({ store, clock: deps.clock, email: EMAIL, envelopeId, position: 1 });

/** A 500-cent balance and `count` signatures charged one after the other (nine are free). */
async function prepareAccount(deps: FakeDeps, count = 9) {
  await creditAccount({ store: deps.store, clock: deps.clock, email: EMAIL, amountCents: 500 });
  for (let index = 1; index <= count; index += 1) await chargeWith(deps, deps.store, `env${index}`);
}

/** Charges `envelopeId` through a store that dies at `point`. */
async function crashCharge(deps: FakeDeps, point: (write: CrashingWrite) => boolean, envelopeId = 'env10') {
  const store = crashOnce({ store: deps.store, when: point });
  await expect(chargeWith(deps, store, envelopeId)).rejects.toBeInstanceOf(SimulatedCrash);
}

async function billingState(deps: FakeDeps, envelopeId = 'env10') {
  const summary = await showAccount({ store: deps.store, clock: deps.clock, email: EMAIL });
  const record = await deps.store.get(signatureChargeKey(EMAIL, envelopeId, 1));
  return {
    debits: summary.ledger.filter((entry) => entry.type === 'debit').length,
    balanceCents: summary.balanceCents,
    state: record?.state,
  };
}

describe('settling a charge a crash left pending', () => {
  it.each([
    ['before claiming its number', crashPoints.beforeSequenceClaim],
    ['after claiming its number', crashPoints.afterSequenceClaim],
    ['before the debit', crashPoints.beforeDebit],
  ])('debits once and decides the signature after a crash %s', async (_name, point) => {
    const deps = createFakeDeps();
    await prepareAccount(deps);
    await crashCharge(deps, point);
    deps.advance(STALE);
    await settle(deps);
    expect(await billingState(deps)).toEqual({ debits: 1, balanceCents: 400, state: 'decided' });
  });

  it('does not debit again when the crash came after the debit', async () => {
    const deps = createFakeDeps();
    await prepareAccount(deps);
    await crashCharge(deps, crashPoints.beforeDecided);
    deps.advance(STALE);
    await settle(deps);
    expect(await billingState(deps)).toEqual({ debits: 1, balanceCents: 400, state: 'decided' });
  });

  it('does not debit again when the crash came between the balance update and its ledger item', async () => {
    const deps = createFakeDeps();
    await prepareAccount(deps);
    await crashCharge(deps, crashPoints.beforeLedgerItem);
    deps.advance(STALE);
    await settle(deps);
    expect(await billingState(deps)).toEqual({ debits: 1, balanceCents: 400, state: 'decided' });
  });

  it('records the balance after the original debit in the decision', async () => {
    const deps = createFakeDeps();
    await prepareAccount(deps);
    await crashCharge(deps, crashPoints.beforeDecided);
    await creditAccount({ store: deps.store, clock: deps.clock, email: EMAIL, amountCents: 1000 });
    deps.advance(STALE);
    const result = await settle(deps);
    expect(result).toMatchObject({ outcome: 'settled', charge: { amountCents: 100, balanceAfterCents: 400 } });
  });

  it('keeps the number claimed before the crash, and so the price of an uninterrupted run', async () => {
    const deps = createFakeDeps();
    await prepareAccount(deps, 8);
    await crashCharge(deps, crashPoints.afterSequenceClaim, 'env9');
    await chargeWith(deps, deps.store, 'env10'); // arrives meanwhile: the 10th number, charged
    deps.advance(STALE);
    const result = await settle(deps, 'env9');
    expect(result).toMatchObject({ outcome: 'settled', charge: { sequence: 9, amountCents: 0 } });
  });

  it('takes the next free number when the reserved one went to another signature meanwhile', async () => {
    const deps = createFakeDeps();
    await prepareAccount(deps);
    await crashCharge(deps, crashPoints.beforeSequenceClaim);
    await chargeWith(deps, deps.store, 'other');
    deps.advance(STALE);
    const result = await settle(deps);
    const claims = (await deps.store.query(`ACCOUNT#${EMAIL}`, { skPrefix: 'SIGSEQ#' })).filter(
      (item) => item.signatureId === 'env10-01',
    );
    expect([result.outcome === 'settled' && result.charge.sequence, claims.length]).toEqual([11, 1]);
  });

  it('makes a later call for the signature return the settled decision', async () => {
    const deps = createFakeDeps();
    await prepareAccount(deps);
    await crashCharge(deps, crashPoints.beforeDecided);
    deps.advance(STALE);
    const settled = await settle(deps);
    const again = await chargeWith(deps, deps.store, 'env10');
    expect(settled.outcome === 'settled' && settled.charge).toEqual(again);
  });

  it('lists the pending charge under PENDING-CHARGES until it is decided', async () => {
    const deps = createFakeDeps();
    await prepareAccount(deps);
    await crashCharge(deps, crashPoints.beforeDebit);
    const listedWhilePending = (await deps.store.query(PENDING_CHARGES_PK)).map((item) => item.sk);
    deps.advance(STALE);
    await settle(deps);
    expect([listedWhilePending, await deps.store.query(PENDING_CHARGES_PK)]).toEqual([['env10-01'], []]);
  });

  it('removes the PENDING-CHARGES entry of a charge decided without a crash', async () => {
    const deps = createFakeDeps();
    await prepareAccount(deps, 1);
    expect(await deps.store.query(PENDING_CHARGES_PK)).toEqual([]);
  });
});

describe('leaving live charges alone', () => {
  it('leaves a pending charge younger than the stale threshold to its caller', async () => {
    const deps = createFakeDeps();
    await prepareAccount(deps);
    await crashCharge(deps, crashPoints.beforeDebit);
    deps.advance(PENDING_CHARGE_STALE_MS - 1000);
    const result = await settle(deps);
    expect([result.outcome, await billingState(deps)]).toEqual([
      'busy',
      { debits: 0, balanceCents: 500, state: 'pending' },
    ]);
  });

  it('settles once when two settlers run at the same moment', async () => {
    const deps = createFakeDeps();
    await prepareAccount(deps);
    await crashCharge(deps, crashPoints.beforeDebit);
    deps.advance(STALE);
    const outcomes = (await Promise.all([settle(deps), settle(deps)])).map((r) => r.outcome).sort();
    expect([outcomes, (await billingState(deps)).debits]).toEqual([['busy', 'settled'], 1]);
  });

  it('leaves a charge to the settler holding its lease', async () => {
    const deps = createFakeDeps();
    await prepareAccount(deps);
    await crashCharge(deps, crashPoints.beforeDebit);
    deps.advance(STALE);
    await expect(
      settle(deps, 'env10', crashOnce({ store: deps.store, when: crashPoints.beforeDebit })),
    ).rejects.toBeInstanceOf(SimulatedCrash);
    deps.advance(PENDING_CHARGE_LEASE_MS - 1000);
    expect((await settle(deps)).outcome).toBe('busy');
  });

  it('takes over from a settler that died holding the lease once the lease expired', async () => {
    const deps = createFakeDeps();
    await prepareAccount(deps);
    await crashCharge(deps, crashPoints.beforeDebit);
    deps.advance(STALE);
    await expect(
      settle(deps, 'env10', crashOnce({ store: deps.store, when: crashPoints.beforeDebit })),
    ).rejects.toBeInstanceOf(SimulatedCrash);
    deps.advance(PENDING_CHARGE_LEASE_MS + 1000);
    await settle(deps);
    expect(await billingState(deps)).toEqual({ debits: 1, balanceCents: 400, state: 'decided' });
  });

  it('debits once when a stalled first caller resumes after a settler finished its charge', async () => {
    const deps = createFakeDeps();
    await prepareAccount(deps);
    const stalled = pauseOnce({ store: deps.store, when: crashPoints.beforeDebit });
    const first = chargeWith(deps, stalled, 'env10');
    await stalled.reached;
    deps.advance(STALE);
    const settled = await settle(deps);
    stalled.resume();
    const late = await first;
    expect([late, (await billingState(deps)).debits]).toEqual([settled.outcome === 'settled' && settled.charge, 1]);
  });
});

describe('settlePendingCharges and the PENDING-CHARGES list', () => {
  it('settles the stale pending charges of an envelope and names them by signature id', async () => {
    const deps = createFakeDeps();
    await prepareAccount(deps);
    await crashCharge(deps, crashPoints.beforeDebit);
    deps.advance(STALE);
    const report = await settlePendingCharges({
      store: deps.store,
      clock: deps.clock,
      email: EMAIL,
      envelopeId: 'env10',
      signatures: [{ position: 1 }, { position: 2 }],
    });
    expect(report).toEqual({ settled: ['env10-01'], busy: [], failed: [] });
  });

  it('starts a charge a crash kept from being recorded, given when the signature was received', async () => {
    const deps = createFakeDeps();
    await prepareAccount(deps);
    await crashCharge(deps, crashPoints.beforeRecord);
    const report = await settlePendingCharges({
      store: deps.store,
      clock: deps.clock,
      email: EMAIL,
      envelopeId: 'env10',
      signatures: [{ position: 1, at: deps.clock.now().toISOString() }],
    });
    expect([report.settled, await billingState(deps)]).toEqual([
      ['env10-01'],
      { debits: 1, balanceCents: 400, state: 'decided' },
    ]);
  });

  it('reports a charge it could not settle instead of throwing', async () => {
    const deps = createFakeDeps();
    await prepareAccount(deps);
    await crashCharge(deps, crashPoints.beforeDebit);
    deps.advance(STALE);
    const store = crashOnce({ store: deps.store, when: crashPoints.beforeDebit });
    const report = await settlePendingCharges({
      store,
      clock: deps.clock,
      email: EMAIL,
      envelopeId: 'env10',
      signatures: [{ position: 1 }],
    });
    expect(report).toEqual({ settled: [], busy: [], failed: ['env10-01'] });
  });

  it('starts a listed charge whose record a crash prevented', async () => {
    const deps = createFakeDeps();
    await prepareAccount(deps);
    await crashCharge(deps, crashPoints.beforeRecord);
    const report = await settleListedPendingCharges({ store: deps.store, clock: deps.clock });
    expect([report.settled, await billingState(deps)]).toEqual([
      ['env10-01'],
      { debits: 1, balanceCents: 400, state: 'decided' },
    ]);
  });

  it('clears a listed entry whose charge was decided meanwhile', async () => {
    const deps = createFakeDeps();
    await prepareAccount(deps);
    await crashCharge(deps, (w) => w.method === 'delete' && w.key.pk === PENDING_CHARGES_PK);
    await settleListedPendingCharges({ store: deps.store, clock: deps.clock });
    expect(await deps.store.query(PENDING_CHARGES_PK)).toEqual([]);
  });
});
