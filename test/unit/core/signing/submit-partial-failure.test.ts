// A submit survives a failure at ANY store or mailer call (before or after it took effect): the
// signature and the turn move together or not at all, and after the client's retry and the sweep
// every effect happened once: the signer record, one charge, one "your turn" mail, one progress
// mail, one finalization (a mail repeats only in the at-least-once window, same Message-ID).
import { describe, expect, it } from 'vitest';
import { getEnvelope, getSigner } from '../../../../lambdas/core/envelopes/envelope-records.ts';
import {
  PENDING_CHARGE_STALE_MS,
  settleListedPendingCharges,
} from '../../../../lambdas/core/billing/settle-pending-charge.ts';
import { declineEnvelope } from '../../../../lambdas/core/signing/decline-envelope.ts';
import { sweepPendingSignatures } from '../../../../lambdas/core/signing/signature-effects.ts';
import { assertCanAct, loadSigningContext } from '../../../../lambdas/core/signing/signing-context.ts';
import { submitSignature } from '../../../../lambdas/core/signing/submit-signature.ts';
import type { StoreItem } from '../../../../lambdas/core/ports.ts';
import { createFakeDeps, type FakeDeps } from '../../../support/fake-deps.ts';
import { failAtCall, type FailureMode } from '../../../support/failing-ports.ts';
import {
  createEnvelopeFixture,
  testClient,
  validSubmission,
  verifyPhone,
  type EnvelopeFixture,
} from './envelope-fixture.ts';

const messageIdOf = (raw: Uint8Array) => /^Message-ID:\s*(<[^>]+>)/im.exec(Buffer.from(raw).toString('latin1'))?.[1];
const items = (deps: FakeDeps) => (deps.store as unknown as { items(): StoreItem[] }).items();

/** An envelope of two signers where signers before `position` have signed and `position`'s phone is verified. */
async function ready(position: number): Promise<{ deps: FakeDeps; fixture: EnvelopeFixture }> {
  const deps = createFakeDeps();
  const fixture = await createEnvelopeFixture(deps);
  for (let p = 1; p <= position; p += 1) {
    await verifyPhone(deps, fixture.tokens[p - 1] ?? '');
    if (p < position) {
      await submitSignature({
        deps,
        token: fixture.tokens[p - 1],
        input: validSubmission(fixture.envelope),
        client: testClient,
      });
    }
  }
  deps.sentMail.length = 0;
  deps.sentSms.length = 0;
  return { deps, fixture };
}

async function countCalls(position: number): Promise<number> {
  const { deps, fixture } = await ready(position);
  const ports = failAtCall({ store: deps.store, mailer: deps.mailer, failAt: 0, mode: 'before' });
  await submitSignature({
    deps: { ...deps, store: ports.store, mailer: ports.mailer },
    token: fixture.tokens[position - 1],
    input: validSubmission(fixture.envelope),
    client: testClient,
  });
  return ports.calls();
}

for (const position of [1, 2]) {
  describe(`submit of signer ${position} of 2: a failure at any call`, async () => {
    const total = await countCalls(position);
    const cases = (['before', 'after'] as const).flatMap((mode) =>
      Array.from({ length: total }, (_, index) => ({ mode, failAt: index + 1 })),
    );

    it.each(cases)('call $failAt failing $mode it', async ({ failAt, mode }: { failAt: number; mode: FailureMode }) => {
      const { deps, fixture } = await ready(position);
      const token = fixture.tokens[position - 1];
      const input = validSubmission(fixture.envelope);
      const ports = failAtCall({ store: deps.store, mailer: deps.mailer, failAt, mode });
      const first = await submitSignature({
        deps: { ...deps, store: ports.store, mailer: ports.mailer },
        token,
        input,
        client: testClient,
      }).catch((error: unknown) => error);
      expect(ports.failed()).toBeDefined();
      const sentByFirst = deps.sentMail.map((m) => messageIdOf(m.raw));
      const noticesAfterFirst = items(deps)
        .filter((i) => i.sk.startsWith('NOTICE#'))
        .map((i) => i.sk.slice(7));

      // Whatever the failure, the signature and the turn agree: signed and moved, or neither.
      const envelopeNow = await getEnvelope(deps.store, fixture.envelope.id);
      const signerNow = await getSigner(deps.store, fixture.envelope.id, position);
      expect(envelopeNow?.currentPosition === position + 1).toBe(signerNow?.status === 'signed');

      // The client retries; then the sweep runs (a later request, the daily job, the next start).
      const retry = await submitSignature({ deps, token, input, client: testClient }).catch((error: unknown) => error);
      if (!(first instanceof Error) || signerNow?.status === 'signed') {
        // The design's precedence: a last signature closes the envelope (finalizing) first.
        expect(retry).toMatchObject({ code: position === 2 ? 'ENVELOPE_CLOSED' : 'ALREADY_SIGNED' });
      } else {
        expect(retry).toMatchObject({ status: 'signed' });
      }
      await sweepPendingSignatures({ deps, ignoreAge: true });
      // A charge the failure left pending is settled once stale (the billing rule), by the next sweep.
      deps.advance(PENDING_CHARGE_STALE_MS + 1000);
      await sweepPendingSignatures({ deps });
      // The daily job's billing part clears index entries whose charge was decided meanwhile.
      await settleListedPendingCharges({ store: deps.store, clock: deps.clock });

      const envelope = await getEnvelope(deps.store, fixture.envelope.id);
      expect(envelope).toMatchObject({
        currentPosition: position + 1,
        status: position === 2 ? 'finalizing' : 'signing',
      });
      // The record caught up (read without the envelope's overlay).
      expect(items(deps).find((i) => i.sk === `SIGNER#0${position}`)).toMatchObject({ status: 'signed' });
      if (position === 1) {
        const next = await loadSigningContext({ deps, token: fixture.tokens[1] });
        expect(() => assertCanAct(next, { turnRequired: true })).not.toThrow();
      }
      // One charge, decided; nothing left pending.
      const charges = items(deps).filter((i) => i.sk.startsWith(`SIG#${fixture.envelope.id}#`));
      expect(charges.map((c) => [c.position, c.state])).toEqual(
        Array.from({ length: position }, (_, i) => [i + 1, 'decided']),
      );
      expect(items(deps).filter((i) => i.pk === 'PENDING-CHARGES')).toEqual([]);
      expect(items(deps).filter((i) => i.pk === 'PENDING-SIGNATURES')).toEqual([]);
      expect(deps.startedFinalizations).toEqual(position === 2 ? [fixture.envelope.id] : []);

      const counts = new Map<string, number>();
      for (const mail of deps.sentMail) {
        const id = messageIdOf(mail.raw) as string;
        counts.set(id, (counts.get(id) ?? 0) + 1);
      }
      // Mails to the sender carry an envelope-named Message-ID (replies find the envelope); the
      // others their step's. The last signature sends no progress mail (the final mail follows).
      const stepOf = (id: string | undefined) =>
        id?.startsWith(`<${fixture.envelope.id}.`) ? `progress-${position}` : id?.slice(1, id.indexOf('.'));
      const expected = position === 1 ? ['turn-2', 'progress-1'] : [];
      expect([...counts.keys()].map(stepOf).sort()).toEqual(expected.sort());
      const window = new Set(sentByFirst.filter((id) => !noticesAfterFirst.some((step) => stepOf(id) === step)));
      for (const [id, count] of counts) expect(count, id).toBe(window.has(id) ? Math.min(count, 2) : 1);
    });
  });
}

describe('a committed signature whose signer record has not caught up', () => {
  it('reads as signed everywhere, so its signer can neither sign again nor decline', async () => {
    const { deps, fixture } = await ready(1);
    const ports = failAtCall({ store: deps.store, mailer: deps.mailer, failAt: 0, mode: 'before' });
    // Fail the first write after the commit: the signer record update.
    let commitSeen = false;
    const store = {
      ...ports.store,
      update: async (key: { pk: string; sk: string }, options: Parameters<typeof deps.store.update>[1]) => {
        if (commitSeen && key.sk.startsWith('SIGNER#')) throw new Error('died after the commit');
        if (key.sk === 'META' && options.set?.signed01 !== undefined) commitSeen = true;
        return deps.store.update(key, options);
      },
    };
    const input = validSubmission(fixture.envelope);
    await expect(
      submitSignature({ deps: { ...deps, store }, token: fixture.tokens[0], input, client: testClient }),
    ).rejects.toThrow('died after the commit');
    expect(items(deps).find((i) => i.sk === 'SIGNER#01')).toMatchObject({ status: 'pending' });
    expect(await getSigner(deps.store, fixture.envelope.id, 1)).toMatchObject({ status: 'signed' });
    await expect(declineEnvelope({ deps, token: fixture.tokens[0], reason: 'non' })).rejects.toMatchObject({
      code: 'ALREADY_SIGNED',
    });
    await expect(submitSignature({ deps, token: fixture.tokens[0], input, client: testClient })).rejects.toMatchObject({
      code: 'ALREADY_SIGNED',
    });
  });
});
