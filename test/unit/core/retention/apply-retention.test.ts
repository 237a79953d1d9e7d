// The retention job with a controllable clock: raw inbound mail deleted after the retention
// period; documents kept while the account is active, deleted once closed past the grace period.
import { describe, expect, it } from 'vitest';
import { creditAccount, setAccountStatus, showAccount } from '../../../../lambdas/core/accounts/manage-account.ts';
import { chargeSignature } from '../../../../lambdas/core/billing/charge-signature.ts';
import { PENDING_CHARGES_PK } from '../../../../lambdas/core/billing/signature-records.ts';
import { envelopeKey, getEnvelope, signerKey } from '../../../../lambdas/core/envelopes/envelope-records.ts';
import { receiveSignRequest } from '../../../../lambdas/core/intake/receive-sign-request.ts';
import { applyRetention } from '../../../../lambdas/core/retention/apply-retention.ts';
import { createFakeDeps, type FakeDeps } from '../../../support/fake-deps.ts';
import { buildSignRequestMail, makePdf } from '../../../support/mail-fixtures.ts';
import { crashOnce, crashPoints, type CrashingWrite } from '../billing/crashing-store.ts';
import { createEnvelopeFixture } from '../signing/envelope-fixture.ts';

const DAY = 86_400_000;
const OWNER = 'alice@sender.test';
const PASS = { dmarc: 'PASS', spf: 'PASS', dkim: 'PASS', spam: 'PASS', virus: 'PASS' };

async function receive(deps: FakeDeps, messageId: string, verdicts = PASS) {
  const raw = await buildSignRequestMail({
    attachments: [{ filename: 'c.pdf', content: await makePdf(), contentType: 'application/pdf' }],
  });
  await deps.rawMail.put({ key: messageId, body: raw, contentType: 'message/rfc822' });
  await receiveSignRequest({ deps, messageId, verdicts, envelopeSender: 'claire@agence-dubois.fr' });
}

/** A completed envelope of OWNER with a certified PDF, a signature image, Assemble's and Certify's updates, indexed under the account. */
async function completedEnvelope(deps: FakeDeps) {
  await creditAccount({ ...deps, email: OWNER, amountCents: 100 });
  const { envelope } = await createEnvelopeFixture(deps, { signers: 1 });
  const certifiedKey = `envelopes/${envelope.id}/certified/doc-1.pdf`;
  const imageKey = `envelopes/${envelope.id}/signatures/1.png`;
  await deps.documents.put({ key: certifiedKey, body: new Uint8Array([1]), contentType: 'application/pdf' });
  await deps.documents.put({ key: imageKey, body: new Uint8Array([2]), contentType: 'image/png' });
  // Assemble's incremental update (it carries the audit page): finalization leaves it behind.
  const updateKey = `envelopes/${envelope.id}/prepared/doc-1.update`;
  await deps.documents.put({ key: updateKey, body: new Uint8Array([3]), contentType: 'application/octet-stream' });
  // And Certify's signed update, which Deliver joined to the original.
  const signedKey = `envelopes/${envelope.id}/prepared/doc-1.signed`;
  await deps.documents.put({ key: signedKey, body: new Uint8Array([4]), contentType: 'application/octet-stream' });
  await deps.store.update(envelopeKey(envelope.id), {
    set: {
      status: 'completed',
      certified: [{ documentId: 'doc-1', name: 'a.pdf', key: certifiedKey, sha256: 'x', size: 1 }],
    },
  });
  await deps.store.update(signerKey(envelope.id, 1), { set: { status: 'signed', imageKey } });
  await deps.store.put({
    pk: `ACCOUNT#${OWNER}`,
    sk: `ENV#${envelope.createdAt}#${envelope.id}`,
    envelopeId: envelope.id,
  });
  return { envelope, keys: [...envelope.documents.map((d) => d.key), certifiedKey, imageKey, updateKey, signedKey] };
}

const stored = async (deps: FakeDeps, keys: string[]) =>
  Promise.all(keys.map(async (key) => (await deps.documents.get(key)) !== undefined));

describe('raw inbound mail', () => {
  it('is kept for the whole retention period', async () => {
    const deps = createFakeDeps();
    await receive(deps, 'm1');
    deps.advance(365 * DAY);
    await applyRetention({ deps });
    expect(await deps.rawMail.get('m1')).toBeDefined();
  });

  it('is deleted once the retention period is over', async () => {
    const deps = createFakeDeps();
    await receive(deps, 'm1');
    deps.advance(366 * DAY);
    const report = await applyRetention({ deps });
    expect([await deps.rawMail.get('m1'), report.rawMailDeleted]).toEqual([undefined, 1]);
  });

  it('is deleted for ignored messages too (unauthenticated senders)', async () => {
    const deps = createFakeDeps();
    await receive(deps, 'm2', { ...PASS, dmarc: 'FAIL', spf: 'FAIL', dkim: 'FAIL' });
    deps.advance(366 * DAY);
    await applyRetention({ deps });
    expect(await deps.rawMail.get('m2')).toBeUndefined();
  });

  it('keeps mail received later than the cut-off', async () => {
    const deps = createFakeDeps();
    await receive(deps, 'old');
    deps.advance(200 * DAY);
    await receive(deps, 'recent');
    deps.advance(166 * DAY);
    await applyRetention({ deps });
    expect([await deps.rawMail.get('old'), (await deps.rawMail.get('recent')) !== undefined]).toEqual([
      undefined,
      true,
    ]);
  });
});

describe('documents of customer accounts', () => {
  it('are kept while the account is active, however old', async () => {
    const deps = createFakeDeps();
    const { keys } = await completedEnvelope(deps);
    deps.advance(3 * 365 * DAY);
    await applyRetention({ deps });
    expect(await stored(deps, keys)).toEqual(keys.map(() => true));
  });

  it('are kept during the grace period after closing', async () => {
    const deps = createFakeDeps();
    const { keys } = await completedEnvelope(deps);
    await setAccountStatus({ ...deps, email: OWNER, status: 'closed' });
    deps.advance(30 * DAY - 1000);
    await applyRetention({ deps });
    expect(await stored(deps, keys)).toEqual(keys.map(() => true));
  });

  it('are all deleted once the account has been closed for the grace period', async () => {
    const deps = createFakeDeps();
    const { keys } = await completedEnvelope(deps);
    await setAccountStatus({ ...deps, email: OWNER, status: 'closed' });
    deps.advance(30 * DAY);
    const report = await applyRetention({ deps });
    expect([await stored(deps, keys), report.accountsPurged]).toEqual([keys.map(() => false), 1]);
  });

  it('marks the envelopes whose documents were deleted', async () => {
    const deps = createFakeDeps();
    const { envelope } = await completedEnvelope(deps);
    await setAccountStatus({ ...deps, email: OWNER, status: 'closed' });
    deps.advance(31 * DAY);
    await applyRetention({ deps });
    expect(await getEnvelope(deps.store, envelope.id)).toHaveProperty('documentsDeletedAt');
  });

  it('are kept when the account is reopened before the grace period ends', async () => {
    const deps = createFakeDeps();
    const { keys } = await completedEnvelope(deps);
    await setAccountStatus({ ...deps, email: OWNER, status: 'closed' });
    deps.advance(10 * DAY);
    await setAccountStatus({ ...deps, email: OWNER, status: 'active' });
    deps.advance(60 * DAY);
    await applyRetention({ deps });
    expect(await stored(deps, keys)).toEqual(keys.map(() => true));
  });

  it('follows the configured grace period', async () => {
    const deps = createFakeDeps();
    deps.settings = { ...deps.settings, closedAccountGraceDays: 7 };
    const { keys } = await completedEnvelope(deps);
    await setAccountStatus({ ...deps, email: OWNER, status: 'closed' });
    deps.advance(7 * DAY);
    await applyRetention({ deps });
    expect(await stored(deps, keys)).toEqual(keys.map(() => false));
  });
});

describe('signature charges a crash left pending', () => {
  /** OWNER's nine free signatures, then a tenth whose charge dies at `point`. */
  async function interruptedCharge(deps: FakeDeps, point: (write: CrashingWrite) => boolean) {
    const at = deps.clock.now().toISOString();
    for (let i = 1; i <= 9; i += 1)
      await chargeSignature({ ...deps, email: OWNER, envelopeId: `old${i}`, position: 1, at });
    const store = crashOnce({ store: deps.store, when: point });
    await chargeSignature({ store, clock: deps.clock, email: OWNER, envelopeId: 'env10', position: 1, at }).catch(
      () => undefined,
    );
  }

  it('are settled by the daily job: one debit', async () => {
    const deps = createFakeDeps();
    await interruptedCharge(deps, crashPoints.beforeDecided);
    deps.advance(DAY);
    const report = await applyRetention({ deps });
    const summary = await showAccount({ ...deps, email: OWNER });
    expect([report.pendingChargesSettled, summary.ledger.length, summary.balanceCents]).toEqual([1, 1, -100]);
  });

  it('leave the pending list once settled', async () => {
    const deps = createFakeDeps();
    await interruptedCharge(deps, crashPoints.beforeDebit);
    deps.advance(DAY);
    await applyRetention({ deps });
    expect(await deps.store.query(PENDING_CHARGES_PK)).toEqual([]);
  });

  it('are started by the daily job when the crash came before their record', async () => {
    const deps = createFakeDeps();
    await interruptedCharge(deps, crashPoints.beforeRecord);
    deps.advance(DAY);
    await applyRetention({ deps });
    expect((await showAccount({ ...deps, email: OWNER })).balanceCents).toBe(-100);
  });

  it('are left for the next run while still recent', async () => {
    const deps = createFakeDeps();
    await interruptedCharge(deps, crashPoints.beforeDebit);
    deps.advance(60_000);
    const report = await applyRetention({ deps });
    expect([report.pendingChargesSettled, report.pendingChargesLeft]).toEqual([0, 1]);
  });
});
