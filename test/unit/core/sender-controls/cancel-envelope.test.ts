// cancelEnvelope: the envelope is cancelled once, signers who have not signed are told, the
// sender confirmed; and a cancel racing the last signature has exactly one winner, never a charge
// for a cancelled envelope.
import { beforeEach, describe, expect, it } from 'vitest';
import { signatureChargeKey } from '../../../../lambdas/core/billing/signature-records.ts';
import { envelopeKey, getEnvelope, type Envelope } from '../../../../lambdas/core/envelopes/envelope-records.ts';
import type { Store } from '../../../../lambdas/core/ports.ts';
import { cancelEnvelope } from '../../../../lambdas/core/sender-controls/cancel-envelope.ts';
import { submitSignature } from '../../../../lambdas/core/signing/submit-signature.ts';
import { createFakeDeps, type FakeDeps } from '../../../support/fake-deps.ts';
import {
  createEnvelopeFixture,
  testClient,
  validSubmission,
  verifyPhone,
  type EnvelopeFixture,
} from '../signing/envelope-fixture.ts';

let deps: FakeDeps;
let fixture: EnvelopeFixture;

beforeEach(async () => {
  deps = createFakeDeps();
  fixture = await createEnvelopeFixture(deps, { signers: 3 });
});

const signAs = async (position: number) => {
  await verifyPhone(deps, fixture.tokens[position - 1] ?? '');
  return submitSignature({
    deps,
    token: fixture.tokens[position - 1],
    input: validSubmission(fixture.envelope),
    client: testClient,
  });
};
const cancel = async () =>
  cancelEnvelope({ deps, envelope: (await getEnvelope(deps.store, fixture.envelope.id)) as Envelope, by: 'area' });

describe('cancelEnvelope', () => {
  it('cancels, tells each signer who has not signed, and confirms to the sender with the reference', async () => {
    await signAs(1);
    deps.sentMail.length = 0;
    const result = await cancel();
    const mails = await deps.parseSentMail();
    expect([result.status, (await getEnvelope(deps.store, fixture.envelope.id))?.status]).toEqual([
      'cancelled',
      'cancelled',
    ]);
    expect(mails.map((m) => m.deliveredTo[0]).sort()).toEqual([
      'alice@sender.test',
      'signer2@client.test',
      'signer3@client.test',
    ]);
    const confirmation = mails.find((m) => m.deliveredTo[0] === 'alice@sender.test');
    expect([confirmation?.headers.get('x-mailsign-envelope'), confirmation?.subject]).toEqual([
      fixture.envelope.id,
      expect.stringContaining(`Réf. ${fixture.envelope.id.slice(0, 8)}`),
    ]);
    expect(confirmation?.text).toContain('1 signature sur 3');
  });

  it('makes the signing links answer ENVELOPE_CLOSED', async () => {
    await cancel();
    await expect(signAs(1)).rejects.toMatchObject({ code: 'ENVELOPE_CLOSED' });
  });

  it('refuses a closed envelope with ENVELOPE_CLOSED and sends nothing', async () => {
    await cancel();
    deps.sentMail.length = 0;
    await expect(cancel()).rejects.toMatchObject({ code: 'ENVELOPE_CLOSED', details: { envelopeStatus: 'cancelled' } });
    expect(deps.sentMail).toEqual([]);
  });

  it('refuses an envelope past its expiry date as expired', async () => {
    deps.advance(31 * 86_400_000);
    await expect(cancel()).rejects.toMatchObject({ code: 'ENVELOPE_CLOSED', details: { envelopeStatus: 'expired' } });
  });
});

/** A store that runs `interleave` once, just before the first update matching `when`. */
function interleaving(
  store: Store,
  when: (set: Record<string, unknown>) => boolean,
  interleave: () => Promise<unknown>,
) {
  let done = false;
  const wrapped: Store = {
    ...store,
    get: (key) => store.get(key),
    put: (item, options) => store.put(item, options),
    query: (pk, options) => store.query(pk, options),
    delete: (key) => store.delete(key),
    async update(key, options) {
      if (
        !done &&
        key.sk === envelopeKey(fixture.envelope.id).sk &&
        key.pk === envelopeKey(fixture.envelope.id).pk &&
        when(options.set ?? {})
      ) {
        done = true;
        await interleave().catch(() => undefined);
      }
      return store.update(key, options);
    },
  };
  return wrapped;
}

describe('a cancel racing the last signature', () => {
  const charged = async (position: number) =>
    deps.store.get(signatureChargeKey('alice@sender.test', fixture.envelope.id, position));

  beforeEach(async () => {
    await signAs(1);
    await signAs(2);
    await verifyPhone(deps, fixture.tokens[2] ?? '');
  });

  it('cancel first: the signature is refused with ENVELOPE_CLOSED, nothing charged, no finalization', async () => {
    const real = deps.store;
    let cancelled: unknown;
    deps.store = interleaving(
      real,
      (set) => 'currentPosition' in set,
      async () => {
        cancelled = await cancelEnvelope({ deps: { ...deps, store: real }, envelope: fixture.envelope, by: 'mail' });
      },
    );
    const signature = submitSignature({
      deps,
      token: fixture.tokens[2],
      input: validSubmission(fixture.envelope),
      client: testClient,
    });
    await expect(signature).rejects.toMatchObject({ code: 'ENVELOPE_CLOSED' });
    expect([cancelled, await charged(3), deps.startedFinalizations]).toEqual([
      expect.objectContaining({ status: 'cancelled' }),
      undefined,
      [],
    ]);
    expect((await getEnvelope(real, fixture.envelope.id))?.status).toBe('cancelled');
  });

  it(
    'signature first: the cancel is refused (all signed), the envelope ' + 'finalizes, the signature is charged once',
    async () => {
      const real = deps.store;
      let signed: unknown;
      deps.store = interleaving(
        real,
        (set) => set.status === 'cancelled',
        async () => {
          signed = await submitSignature({
            deps: { ...deps, store: real },
            token: fixture.tokens[2],
            input: validSubmission(fixture.envelope),
            client: testClient,
          });
        },
      );
      await expect(cancelEnvelope({ deps, envelope: fixture.envelope, by: 'mail' })).rejects.toMatchObject({
        code: 'ENVELOPE_CLOSED',
        details: { envelopeStatus: 'finalizing' },
      });
      expect([signed, deps.startedFinalizations, (await charged(3))?.sk]).toEqual([
        expect.objectContaining({ status: 'signed' }),
        [fixture.envelope.id],
        expect.any(String),
      ]);
    },
  );
});
