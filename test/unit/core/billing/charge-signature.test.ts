// chargeSignature: the pricing rule at its edges, exactly once per signature, and the same
// decisions for signatures arriving at the same moment as for signatures arriving in sequence.
import { describe, expect, it } from 'vitest';
import { creditAccount, showAccount } from '../../../../lambdas/core/accounts/manage-account.ts';
import { chargeSignature } from '../../../../lambdas/core/billing/charge-signature.ts';
import { createFakeDeps, type FakeDeps } from '../../../support/fake-deps.ts';

const EMAIL = 'claire@agence-dubois.fr';
const DAY = 86_400_000;

const charge = (deps: FakeDeps, envelopeId: string, position = 1, at = deps.clock.now().toISOString()) =>
  chargeSignature({ store: deps.store, clock: deps.clock, email: EMAIL, envelopeId, position, at });

/** n signatures one after the other, one minute apart; returns the amounts charged. */
async function signInSequence(deps: FakeDeps, count: number, prefix = 'env'): Promise<number[]> {
  const amounts: number[] = [];
  for (let index = 1; index <= count; index += 1) {
    const result = await charge(deps, `${prefix}${index}`);
    amounts.push(result.state === 'decided' ? result.amountCents : -1);
    deps.advance(60_000);
  }
  return amounts;
}

describe('the pricing rule', () => {
  it('makes the 9th signature within 30 days free', async () => {
    const deps = createFakeDeps();
    const amounts = await signInSequence(deps, 9);
    expect(amounts).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('charges the 10th signature within 30 days 100 cents', async () => {
    const deps = createFakeDeps();
    const amounts = await signInSequence(deps, 10);
    expect(amounts.at(-1)).toBe(100);
  });

  it('makes a signature 30 days + 1 s after the first nine free again', async () => {
    const deps = createFakeDeps();
    const start = deps.clock.now().getTime();
    for (let index = 1; index <= 9; index += 1) await charge(deps, `env${index}`, 1, new Date(start).toISOString());
    deps.setNow(new Date(start + 30 * DAY + 1000));
    const result = await charge(deps, 'env10');
    expect(result).toMatchObject({ state: 'decided', amountCents: 0 });
  });

  it('still charges a signature 30 days - 1 s after nine others', async () => {
    const deps = createFakeDeps();
    const start = deps.clock.now().getTime();
    for (let index = 1; index <= 9; index += 1) await charge(deps, `env${index}`, 1, new Date(start).toISOString());
    deps.setNow(new Date(start + 30 * DAY - 1000));
    const result = await charge(deps, 'env10');
    expect(result).toMatchObject({ state: 'decided', amountCents: 100 });
  });

  it('debits the balance and writes one ledger entry per charged signature, none for free ones', async () => {
    const deps = createFakeDeps();
    await creditAccount({ store: deps.store, clock: deps.clock, email: EMAIL, amountCents: 500 });
    await signInSequence(deps, 11);
    const summary = await showAccount({ store: deps.store, clock: deps.clock, email: EMAIL });
    expect(summary.balanceCents).toBe(300);
    expect(
      summary.ledger.map((entry) => [entry.type, entry.amountCents, entry.balanceAfterCents, entry.envelopeId]),
    ).toEqual([
      ['credit', 500, 500, undefined],
      ['debit', -100, 400, 'env10'],
      ['debit', -100, 300, 'env11'],
    ]);
    expect(summary.ledger[1]?.signatureId).toBe('env10-01');
  });

  it('charges even when the balance cannot cover it (the request was covered at intake)', async () => {
    const deps = createFakeDeps();
    await signInSequence(deps, 10);
    expect((await showAccount({ store: deps.store, clock: deps.clock, email: EMAIL })).balanceCents).toBe(-100);
  });
});

describe('exactly once per signature', () => {
  it('charges a repeated call for the same signature once and returns the same decision', async () => {
    const deps = createFakeDeps();
    await signInSequence(deps, 9);
    const first = await charge(deps, 'env10');
    const again = await charge(deps, 'env10');
    expect(again).toEqual(first);
    expect((await showAccount({ store: deps.store, clock: deps.clock, email: EMAIL })).ledger).toHaveLength(1);
  });

  it('charges concurrent calls for the same signature once', async () => {
    const deps = createFakeDeps();
    await signInSequence(deps, 9);
    await Promise.all(Array.from({ length: 8 }, () => charge(deps, 'env10')));
    const summary = await showAccount({ store: deps.store, clock: deps.clock, email: EMAIL });
    expect([summary.balanceCents, summary.ledger.length, summary.signaturesLast30Days]).toEqual([-100, 1, 10]);
  });

  it('decides signatures arriving at the same moment as if they arrived in sequence', async () => {
    const deps = createFakeDeps();
    await signInSequence(deps, 7);
    const results = await Promise.all(['a', 'b', 'c', 'd'].map((id) => charge(deps, id)));
    const amounts = results.map((r) => (r.state === 'decided' ? r.amountCents : -1)).sort((x, y) => x - y);
    expect(amounts).toEqual([0, 0, 100, 100]);
  });

  it('gives concurrent signatures distinct places in the account order', async () => {
    const deps = createFakeDeps();
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => charge(deps, `env${i}`)));
    const sequences = results.map((r) => (r.state === 'decided' ? r.sequence : 0)).sort((x, y) => x - y);
    expect(sequences).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
  });

  it('keeps every concurrent debit (no lost update of the balance)', async () => {
    const deps = createFakeDeps();
    await signInSequence(deps, 9, 'free');
    await Promise.all(Array.from({ length: 10 }, (_, i) => charge(deps, `paid${i}`)));
    const summary = await showAccount({ store: deps.store, clock: deps.clock, email: EMAIL });
    expect(summary.balanceCents).toBe(-1000);
    expect(summary.ledger.map((e) => e.balanceAfterCents).sort((a, b) => b - a)).toEqual(
      Array.from({ length: 10 }, (_, i) => -100 * (i + 1)),
    );
  });
});
