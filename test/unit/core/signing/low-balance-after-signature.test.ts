// A billed signature that takes the sender's balance under the price of 5 signatures mails the
// sender one warning linking to the top-up card.
import { describe, expect, it } from 'vitest';
import { accountPk } from '../../../../lambdas/core/accounts/account-records.ts';
import { creditAccount } from '../../../../lambdas/core/accounts/manage-account.ts';
import { signatureSequenceSk } from '../../../../lambdas/core/billing/signature-records.ts';
import { submitSignature } from '../../../../lambdas/core/signing/submit-signature.ts';
import { createFakeDeps } from '../../../support/fake-deps.ts';
import { createEnvelopeFixture, testClient, validSubmission, verifyPhone } from './envelope-fixture.ts';

const SENDER = 'alice@sender.test';

describe('a billed signature under the low-balance line', () => {
  it('mails the sender one low-balance warning', async () => {
    const deps = createFakeDeps();
    const fixture = await createEnvelopeFixture(deps);
    await creditAccount({ ...deps, email: SENDER, amountCents: 500 });
    // Nine signatures received in the last hour: the next one is billed.
    const at = new Date(deps.clock.now().getTime() - 3_600_000).toISOString();
    for (let n = 1; n <= 9; n += 1)
      await deps.store.put({
        pk: accountPk(SENDER),
        sk: signatureSequenceSk(n),
        sequence: n,
        signatureId: `old-${n}`,
        at,
      });
    await verifyPhone(deps, fixture.tokens[0] ?? '');
    deps.sentMail.length = 0;

    const result = await submitSignature({
      deps,
      token: fixture.tokens[0],
      input: validSubmission(fixture.envelope),
      client: testClient,
    });

    expect(result.charge).toMatchObject({ state: 'decided', amountCents: 100, balanceAfterCents: 400 });
    const warnings = (await deps.parseSentMail()).filter((m) => m.subject?.includes('solde prépayé est bas'));
    expect(warnings.map((m) => m.deliveredTo)).toEqual([[SENDER]]);
    expect(warnings[0]?.text).toContain('account.html#topup');
  });
});
