// declineEnvelope: who may decline, the reason rule, the closed envelope and the mails.
import { beforeEach, describe, expect, it } from 'vitest';
import { getEnvelope, getSigner } from '../../../../lambdas/core/envelopes/envelope-records.ts';
import { requestOtp } from '../../../../lambdas/core/otp/request-otp.ts';
import { declineEnvelope } from '../../../../lambdas/core/signing/decline-envelope.ts';
import { getSigningView } from '../../../../lambdas/core/signing/get-signing-view.ts';
import { submitSignature } from '../../../../lambdas/core/signing/submit-signature.ts';
import { createFakeDeps, type FakeDeps } from '../../../support/fake-deps.ts';
import {
  createEnvelopeFixture,
  TEST_PHONE,
  testClient,
  validSubmission,
  verifyPhone,
  type EnvelopeFixture,
} from './envelope-fixture.ts';

let deps: FakeDeps;
let fixture: EnvelopeFixture;

beforeEach(async () => {
  deps = createFakeDeps();
  fixture = await createEnvelopeFixture(deps, { signers: 3 });
});

const decline = (position: number, reason: unknown = 'Le montant est faux.') =>
  declineEnvelope({ deps, token: fixture.tokens[position - 1], reason });
const signAs = async (position: number) => {
  await verifyPhone(deps, fixture.tokens[position - 1] ?? '');
  await submitSignature({
    deps,
    token: fixture.tokens[position - 1],
    input: validSubmission(fixture.envelope),
    client: testClient,
  });
};

describe('declineEnvelope', () => {
  it('declines the envelope with the reason', async () => {
    await decline(1);
    const envelope = await getEnvelope(deps.store, fixture.envelope.id);
    expect([envelope?.status, envelope?.declineReason]).toEqual(['declined', 'Le montant est faux.']);
  });

  it('marks the signer declined with the trimmed reason', async () => {
    await decline(1, '  Pas d’accord.  ');
    expect(await getSigner(deps.store, fixture.envelope.id, 1)).toMatchObject({
      status: 'declined',
      declineReason: 'Pas d’accord.',
    });
  });

  it('lets a later pending signer decline before their turn', async () => {
    await expect(decline(3)).resolves.toMatchObject({ status: 'declined' });
  });

  it.each<[string, unknown]>([
    ['empty', ''],
    ['blank', '   '],
    ['missing', undefined],
    ['too long', 'x'.repeat(1001)],
  ])('refuses a %s reason with REASON_REQUIRED', async (_label, reason) => {
    await expect(declineEnvelope({ deps, token: fixture.tokens[0], reason })).rejects.toMatchObject({
      code: 'REASON_REQUIRED',
    });
  });

  it('refuses a signer who already signed with ALREADY_SIGNED', async () => {
    await signAs(1);
    await expect(decline(1)).rejects.toMatchObject({ code: 'ALREADY_SIGNED' });
  });

  it('refuses a second decline with ENVELOPE_CLOSED', async () => {
    await decline(2);
    await expect(decline(3)).rejects.toMatchObject({ code: 'ENVELOPE_CLOSED' });
  });

  it('lets only one of two simultaneous declines win', async () => {
    const results = await Promise.allSettled([decline(2), decline(3)]);
    expect(results.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);
  });

  it('leaves the losing decliner pending', async () => {
    const results = await Promise.allSettled([decline(2), decline(3)]);
    const loser = results[0]?.status === 'rejected' ? 2 : 3;
    expect((await getSigner(deps.store, fixture.envelope.id, loser))?.status).toBe('pending');
  });

  it('mails the reason to the sender, and tells every other signer without it', async () => {
    await signAs(1);
    deps.sentMail.length = 0;
    await decline(2);
    const mails = await deps.parseSentMail();
    expect(mails.map((mail) => [mail.deliveredTo[0], mail.text?.includes('Le montant est faux.')])).toEqual([
      ['alice@sender.test', true],
      ['signer1@client.test', false],
      ['signer3@client.test', false],
    ]);
  });

  it('makes every signing action answer ENVELOPE_CLOSED afterwards', async () => {
    await decline(2);
    await expect(requestOtp({ deps, token: fixture.tokens[0], phone: TEST_PHONE })).rejects.toMatchObject({
      code: 'ENVELOPE_CLOSED',
    });
  });

  it('keeps the view readable with status declined', async () => {
    await decline(2);
    const view = await getSigningView({ deps, token: fixture.tokens[0] });
    expect([view.envelope.status, view.signers.map((signer) => signer.status)]).toEqual([
      'declined',
      ['pending', 'declined', 'pending'],
    ]);
  });

  it('makes a signature in flight fail when a later signer declines first', async () => {
    await verifyPhone(deps, fixture.tokens[0] ?? '');
    await decline(3);
    await expect(
      submitSignature({ deps, token: fixture.tokens[0], input: validSubmission(fixture.envelope), client: testClient }),
    ).rejects.toMatchObject({ code: 'ENVELOPE_CLOSED' });
  });
});
