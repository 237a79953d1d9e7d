// Account administration: credits, status changes and the closed-accounts index.
import { describe, expect, it } from 'vitest';
import { closedAccountKey, getAccount } from '../../../../lambdas/core/accounts/account-records.ts';
import { creditAccount, setAccountStatus, showAccount } from '../../../../lambdas/core/accounts/manage-account.ts';
import { createFakeDeps } from '../../../support/fake-deps.ts';

const EMAIL = 'claire@agence-dubois.fr';

describe('creditAccount', () => {
  it('creates the account on first credit and records a credit entry', async () => {
    const deps = createFakeDeps();
    const entry = await creditAccount({ ...deps, email: 'Claire@Agence-Dubois.fr', amountCents: 5000 });
    expect(entry).toEqual({
      at: deps.clock.now().toISOString(),
      type: 'credit',
      amountCents: 5000,
      balanceAfterCents: 5000,
    });
  });

  it('refuses an unknown address with NOT_FOUND when told not to create, creating nothing', async () => {
    const deps = createFakeDeps();
    await expect(
      creditAccount({ ...deps, email: EMAIL, amountCents: 100, createIfMissing: false }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await getAccount(deps.store, EMAIL)).toBeUndefined();
  });

  it('keeps every concurrent credit', async () => {
    const deps = createFakeDeps();
    await Promise.all(Array.from({ length: 10 }, () => creditAccount({ ...deps, email: EMAIL, amountCents: 100 })));
    const summary = await showAccount({ ...deps, email: EMAIL });
    expect([summary.balanceCents, summary.ledger.length]).toEqual([1000, 10]);
  });

  it('refuses a zero or fractional amount', async () => {
    const deps = createFakeDeps();
    await expect(creditAccount({ ...deps, email: EMAIL, amountCents: 0 })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    await expect(creditAccount({ ...deps, email: EMAIL, amountCents: 1.5 })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
  });

  it('writes a ledger entry a crash left only on the account', async () => {
    const deps = createFakeDeps();
    await creditAccount({ ...deps, email: EMAIL, amountCents: 100 });
    await deps.store.delete({ pk: `ACCOUNT#${EMAIL}`, sk: 'LEDGER#0000000001' });
    expect((await showAccount({ ...deps, email: EMAIL })).ledger).toHaveLength(1);
  });
});

describe('setAccountStatus', () => {
  it('records closedAt and indexes a closed account for retention', async () => {
    const deps = createFakeDeps();
    await creditAccount({ ...deps, email: EMAIL, amountCents: 100 });
    await setAccountStatus({ ...deps, email: EMAIL, status: 'closed' });
    expect([
      (await getAccount(deps.store, EMAIL))?.closedAt,
      (await deps.store.get(closedAccountKey(EMAIL)))?.closedAt,
    ]).toEqual([deps.clock.now().toISOString(), deps.clock.now().toISOString()]);
  });

  it('removes the retention index and closedAt when reopened', async () => {
    const deps = createFakeDeps();
    await creditAccount({ ...deps, email: EMAIL, amountCents: 100 });
    await setAccountStatus({ ...deps, email: EMAIL, status: 'closed' });
    await setAccountStatus({ ...deps, email: EMAIL, status: 'active' });
    expect([(await getAccount(deps.store, EMAIL))?.closedAt, await deps.store.get(closedAccountKey(EMAIL))]).toEqual([
      undefined,
      undefined,
    ]);
  });

  it('answers NOT_FOUND for an unknown account', async () => {
    const deps = createFakeDeps();
    await expect(setAccountStatus({ ...deps, email: 'x@y.fr', status: 'suspended' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});
