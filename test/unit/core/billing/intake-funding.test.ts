// Intake and accounts: every authenticated sender is a customer created on first use (or only
// the customer domains), inactive accounts and requests the balance cannot cover are refused.
import { describe, expect, it } from 'vitest';
import { getAccount } from '../../../../lambdas/core/accounts/account-records.ts';
import { creditAccount, setAccountStatus } from '../../../../lambdas/core/accounts/manage-account.ts';
import { chargeSignature } from '../../../../lambdas/core/billing/charge-signature.ts';
import { receiveSignRequest } from '../../../../lambdas/core/intake/receive-sign-request.ts';
import { createFakeDeps, testSettings, type FakeDeps } from '../../../support/fake-deps.ts';
import { buildSignRequestMail, makePdf } from '../../../support/mail-fixtures.ts';

const PASS = { dmarc: 'PASS', spf: 'PASS', dkim: 'PASS', spam: 'PASS', virus: 'PASS' };
const SENDER = 'claire@agence-dubois.fr';

async function deliver(deps: FakeDeps, signers = 1, messageId = 'msg-1') {
  const to = Array.from({ length: signers }, (_, i) => `Signer ${i + 1} <s${i + 1}@client.fr>`);
  const raw = await buildSignRequestMail({
    to,
    attachments: [{ filename: 'contrat.pdf', content: await makePdf(), contentType: 'application/pdf' }],
  });
  await deps.rawMail.put({ key: messageId, body: raw, contentType: 'message/rfc822' });
  return receiveSignRequest({ deps, messageId, verdicts: PASS, envelopeSender: SENDER });
}

/** Nine signatures received now: the next one in the window is charged. */
async function useFreeSignatures(deps: FakeDeps) {
  const at = deps.clock.now().toISOString();
  for (let i = 1; i <= 9; i += 1)
    await chargeSignature({
      store: deps.store,
      clock: deps.clock,
      email: SENDER,
      envelopeId: `old${i}`,
      position: 1,
      at,
    });
}

const replyText = async (deps: FakeDeps) => {
  const [mail] = await deps.parseSentMail();
  return `${mail?.subject}\n${mail?.text}`;
};

describe('intake: accounts', () => {
  it('creates an active account with a zero balance for a new sender', async () => {
    const deps = createFakeDeps();
    await deliver(deps);
    expect(await getAccount(deps.store, SENDER)).toMatchObject({ email: SENDER, status: 'active', balanceCents: 0 });
  });

  it('ignores, without any reply, a sender outside the configured customer domains', async () => {
    const deps = createFakeDeps({ settings: { ...testSettings, customerDomains: ['customer.example'] } });
    const outcome = await deliver(deps);
    expect([outcome.status, deps.sentMail.length, await getAccount(deps.store, SENDER)]).toEqual([
      'ignored',
      0,
      undefined,
    ]);
  });

  it('accepts a sender of a configured customer domain', async () => {
    const deps = createFakeDeps({ settings: { ...testSettings, customerDomains: ['agence-dubois.fr'] } });
    expect((await deliver(deps)).status).toBe('accepted');
  });

  it('refuses a suspended account with its own message', async () => {
    const deps = createFakeDeps();
    await creditAccount({ ...deps, email: SENDER, amountCents: 1000 });
    await setAccountStatus({ ...deps, email: SENDER, status: 'suspended' });
    expect(await deliver(deps)).toEqual({ status: 'refused', code: 'ACCOUNT_SUSPENDED' });
    expect(await replyText(deps)).toMatch(/votre compte est suspendu[\s\S]*your account is suspended/);
  });

  it('refuses a closed account with its own message', async () => {
    const deps = createFakeDeps();
    await creditAccount({ ...deps, email: SENDER, amountCents: 1000 });
    await setAccountStatus({ ...deps, email: SENDER, status: 'closed' });
    expect(await deliver(deps)).toEqual({ status: 'refused', code: 'ACCOUNT_CLOSED' });
    expect(await replyText(deps)).toMatch(/votre compte est fermé[\s\S]*your account is closed/);
  });

  it('accepts again once a suspended account is reopened', async () => {
    const deps = createFakeDeps();
    await creditAccount({ ...deps, email: SENDER, amountCents: 1000 });
    await setAccountStatus({ ...deps, email: SENDER, status: 'suspended' });
    await setAccountStatus({ ...deps, email: SENDER, status: 'active' });
    expect((await deliver(deps)).status).toBe('accepted');
  });
});

describe('intake: projected cost against the balance', () => {
  it('accepts a request whose signers all fall within the free signatures', async () => {
    const deps = createFakeDeps();
    expect((await deliver(deps, 9)).status).toBe('accepted');
  });

  it('refuses a 10-signer request on a zero balance (the 10th would be charged)', async () => {
    const deps = createFakeDeps();
    expect(await deliver(deps, 10)).toEqual({ status: 'refused', code: 'INSUFFICIENT_BALANCE' });
  });

  it('says the amount needed, the balance and how to top up, French then English', async () => {
    const deps = createFakeDeps();
    await useFreeSignatures(deps);
    await creditAccount({ ...deps, email: SENDER, amountCents: 150 });
    await deliver(deps, 3);
    const text = await replyText(deps);
    expect(text).toMatch(
      new RegExp(
        [
          'coûterait 3,00 € HT',
          'solde prépayé est de 1,50 € HT',
          'Il manque 1,50 € HT',
          'Rechargez votre solde par carte',
          'account\\.html#topup',
        ].join('[\\s\\S]*'),
      ),
    );
    expect(text).toMatch(
      new RegExp(
        [
          'would cost €3\\.00 excl\\. VAT',
          'balance is €1\\.50',
          '€1\\.50 excl\\. VAT is missing',
          'Top up your balance by card',
          'account\\.html#topup',
        ].join('[\\s\\S]*'),
      ),
    );
    expect(text.indexOf('coûterait')).toBeLessThan(text.indexOf('would cost'));
  });

  it('refuses when the free signatures of the last 30 days are used and the balance is empty', async () => {
    const deps = createFakeDeps();
    await useFreeSignatures(deps);
    expect(await deliver(deps)).toEqual({ status: 'refused', code: 'INSUFFICIENT_BALANCE' });
  });

  it('accepts when the balance covers exactly the projected cost', async () => {
    const deps = createFakeDeps();
    await useFreeSignatures(deps);
    await creditAccount({ ...deps, email: SENDER, amountCents: 200 });
    expect((await deliver(deps, 2)).status).toBe('accepted');
  });

  it('contacts no signer when it refuses for the balance', async () => {
    const deps = createFakeDeps();
    await useFreeSignatures(deps);
    await deliver(deps, 2);
    expect(deps.sentMail.map((m) => m.to)).toEqual([[SENDER]]);
  });
});
