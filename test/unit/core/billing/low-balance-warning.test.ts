import { describe, expect, it } from 'vitest';
import { warnLowBalance } from '../../../../lambdas/core/billing/low-balance-warning.ts';
import type { SignatureCharge } from '../../../../lambdas/core/billing/charge-signature.ts';
import { createFakeDeps } from '../../../support/fake-deps.ts';

const EMAIL = 'claire@agence-dubois.fr';
const debit = (signatureId: string, balanceAfterCents: number, amountCents = 100): SignatureCharge => ({
  state: 'decided',
  signatureId,
  sequence: 1,
  at: '2026-11-27T10:00:00.000Z',
  amountCents,
  balanceAfterCents,
});

describe('warnLowBalance', () => {
  it(
    'mails once when a debit takes the balance under the price of 5 ' + 'signatures, not for the debits after',
    async () => {
      const deps = createFakeDeps();
      const sent = [];
      for (const [id, after] of [
        ['s1', 600],
        ['s2', 500],
        ['s3', 400],
        ['s4', 300],
        ['s5', 200],
      ] as const)
        sent.push(await warnLowBalance({ deps, email: EMAIL, charge: debit(id, after) }));

      expect(sent).toEqual([false, false, true, false, false]);
      const [mail] = await deps.parseSentMail();
      expect(mail?.deliveredTo).toEqual([EMAIL]);
      expect(mail?.subject).toContain('Votre solde prépayé est bas');
      expect(mail?.text).toContain('https://sign.example.test/account.html#topup');
      expect(mail?.text).toContain('4,00');
    },
  );

  it('does not mail twice for the same debit, and warns again after a top-up and a new crossing', async () => {
    const deps = createFakeDeps();
    await warnLowBalance({ deps, email: EMAIL, charge: debit('s1', 450) });
    await warnLowBalance({ deps, email: EMAIL, charge: debit('s1', 450) });
    expect(deps.sentMail).toHaveLength(1);
    await warnLowBalance({ deps, email: EMAIL, charge: debit('s9', 499, 100) });
    expect(deps.sentMail).toHaveLength(2);
  });

  it('ignores free signatures and pending charges', async () => {
    const deps = createFakeDeps();
    await warnLowBalance({ deps, email: EMAIL, charge: debit('s1', 450, 0) });
    await warnLowBalance({ deps, email: EMAIL, charge: { state: 'pending', signatureId: 's2' } });
    expect(deps.sentMail).toEqual([]);
  });
});
