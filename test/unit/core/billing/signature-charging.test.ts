// submitSignature records the charge of the signature it receives, exactly once whatever the
// repeated or concurrent submissions of the same signer.
import { describe, expect, it } from 'vitest';
import { showAccount } from '../../../../lambdas/core/accounts/manage-account.ts';
import { chargeSignature } from '../../../../lambdas/core/billing/charge-signature.ts';
import { submitSignature } from '../../../../lambdas/core/signing/submit-signature.ts';
import { createFakeDeps, type FakeDeps } from '../../../support/fake-deps.ts';
import { createEnvelopeFixture, testClient, validSubmission, verifyPhone } from '../signing/envelope-fixture.ts';

const SENDER = 'alice@sender.test';

async function useFreeSignatures(deps: FakeDeps) {
  const at = deps.clock.now().toISOString();
  for (let i = 1; i <= 9; i += 1)
    await chargeSignature({ ...deps, email: SENDER, envelopeId: `old${i}`, position: 1, at });
}

async function readySigner(deps: FakeDeps) {
  const fixture = await createEnvelopeFixture(deps, { signers: 1 });
  const token = fixture.tokens[0] ?? '';
  await verifyPhone(deps, token);
  return {
    fixture,
    submit: () => submitSignature({ deps, token, input: validSubmission(fixture.envelope), client: testClient }),
  };
}

describe('charging at signature time', () => {
  it('counts a received signature for the sender, free within the first nine', async () => {
    const deps = createFakeDeps();
    const { submit } = await readySigner(deps);
    const result = await submit();
    expect(result.charge).toMatchObject({ state: 'decided', amountCents: 0 });
    expect((await showAccount({ ...deps, email: SENDER })).signaturesLast30Days).toBe(1);
  });

  it('debits the sender for the 10th signature within 30 days', async () => {
    const deps = createFakeDeps();
    await useFreeSignatures(deps);
    const { submit, fixture } = await readySigner(deps);
    await submit();
    const summary = await showAccount({ ...deps, email: SENDER });
    expect(summary.ledger).toEqual([
      expect.objectContaining({
        type: 'debit',
        amountCents: -100,
        envelopeId: fixture.envelope.id,
        signatureId: `${fixture.envelope.id}-01`,
      }),
    ]);
  });

  it('charges once when the same signer submits again', async () => {
    const deps = createFakeDeps();
    await useFreeSignatures(deps);
    const { submit } = await readySigner(deps);
    await submit();
    await expect(submit()).rejects.toMatchObject({ code: 'ENVELOPE_CLOSED' }); // one signer: the envelope is finalizing
    expect((await showAccount({ ...deps, email: SENDER })).ledger).toHaveLength(1);
  });

  it('charges once when the same signer submits several times at once', async () => {
    const deps = createFakeDeps();
    await useFreeSignatures(deps);
    const { submit } = await readySigner(deps);
    const results = await Promise.allSettled([submit(), submit(), submit(), submit()]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const summary = await showAccount({ ...deps, email: SENDER });
    expect([summary.ledger.length, summary.balanceCents, summary.signaturesLast30Days]).toEqual([1, -100, 10]);
  });
});
