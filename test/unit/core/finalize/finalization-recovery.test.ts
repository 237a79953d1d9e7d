// Finalization is never stuck: a run that died is restarted by the sweep (or an operator's retry
// of a `finalizing` envelope once no run can be alive), a temporary failure is retried
// automatically and says so, a permanent one says so and tells the signers too.
import { describe, expect, it } from 'vitest';
import { envelopeKey, getEnvelope } from '../../../../lambdas/core/envelopes/envelope-records.ts';
import {
  getFinalizing,
  listFinalizing,
  STUCK_FINALIZATION_MS,
} from '../../../../lambdas/core/finalize/finalization-index.ts';
import {
  MAX_AUTOMATIC_RETRIES,
  notifyFinalizationFailure,
} from '../../../../lambdas/core/finalize/notify-finalization-failure.ts';
import { resumeFinalizations } from '../../../../lambdas/core/finalize/resume-finalizations.ts';
import { retryFinalization } from '../../../../lambdas/core/finalize/retry-finalization.ts';
import { submitSignature } from '../../../../lambdas/core/signing/submit-signature.ts';
import type { StartFinalizationOptions } from '../../../../lambdas/core/ports.ts';
import { createFakeDeps, type FakeDeps } from '../../../support/fake-deps.ts';
import { createEnvelopeFixture, testClient, validSubmission, verifyPhone } from '../signing/envelope-fixture.ts';

async function allSigned(deps: FakeDeps) {
  const started: StartFinalizationOptions[] = [];
  deps.workflow = { startFinalization: async (start) => void started.push(start) };
  const fixture = await createEnvelopeFixture(deps, { signers: 2 });
  for (const token of fixture.tokens) {
    await verifyPhone(deps, token);
    await submitSignature({ deps, token, input: validSubmission(fixture.envelope), client: testClient });
  }
  deps.sentMail.length = 0;
  return { ...fixture, started };
}

describe('the FINALIZING index', () => {
  it('is written before the first run starts', async () => {
    const deps = createFakeDeps();
    const { envelope, started } = await allSigned(deps);
    expect(started).toEqual([{ envelopeId: envelope.id }]);
    expect(await getFinalizing(deps, envelope.id)).toEqual({
      envelopeId: envelope.id,
      since: deps.clock.now().getTime(),
    });
  });
});

describe('resumeFinalizations', () => {
  it('restarts, at the local start, a finalizing envelope whose run died with its process', async () => {
    const deps = createFakeDeps();
    const { envelope, started } = await allSigned(deps);
    expect(await resumeFinalizations({ deps, noLiveRun: true })).toEqual([envelope.id]);
    expect(started.at(-1)).toEqual({ envelopeId: envelope.id, attempt: 2 });
  });

  it('on AWS, leaves a recent run alone and restarts one older than the state machine timeout', async () => {
    const deps = createFakeDeps();
    const { envelope, started } = await allSigned(deps);
    expect(await resumeFinalizations({ deps })).toEqual([]);
    deps.advance(STUCK_FINALIZATION_MS);
    expect(await resumeFinalizations({ deps })).toEqual([envelope.id]);
    expect(started).toHaveLength(2);
  });

  it('retries a temporary failure, and drops the entry of a completed envelope', async () => {
    const deps = createFakeDeps();
    const { envelope, started } = await allSigned(deps);
    await notifyFinalizationFailure({
      deps,
      envelopeId: envelope.id,
      error: { Error: 'TransientError', Cause: 'KMS' },
    });
    expect(await getEnvelope(deps.store, envelope.id)).toMatchObject({ status: 'failed', failureKind: 'temporary' });
    expect(await resumeFinalizations({ deps })).toEqual([envelope.id]);
    expect(started.at(-1)).toEqual({ envelopeId: envelope.id, attempt: 2 });
    await deps.store.update(envelopeKey(envelope.id), { set: { status: 'completed' } });
    expect(await resumeFinalizations({ deps })).toEqual([]);
    expect(await listFinalizing(deps)).toEqual([]);
  });
});

describe('retryFinalization of a finalizing envelope', () => {
  it('refuses while its run may be alive, saying until when', async () => {
    const deps = createFakeDeps();
    const { envelope } = await allSigned(deps);
    await expect(retryFinalization({ deps, envelopeId: envelope.id })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('retry after'),
    });
  });

  it('restarts it when no run is alive (the local stack knows its runs)', async () => {
    const deps = createFakeDeps();
    const { envelope, started } = await allSigned(deps);
    expect(await retryFinalization({ deps, envelopeId: envelope.id, noLiveRun: true })).toEqual({
      envelopeId: envelope.id,
      attempt: 2,
    });
    expect(started.at(-1)).toEqual({ envelopeId: envelope.id, attempt: 2 });
  });

  it('restarts it once stuck longer than the state machine timeout', async () => {
    const deps = createFakeDeps();
    const { envelope } = await allSigned(deps);
    deps.advance(STUCK_FINALIZATION_MS);
    expect(await retryFinalization({ deps, envelopeId: envelope.id })).toMatchObject({ attempt: 2 });
  });
});

describe('the failure notice tells the truth', () => {
  it('a temporary failure: the sender is told it is retried automatically; signers are not bothered', async () => {
    const deps = createFakeDeps();
    const { envelope } = await allSigned(deps);
    await notifyFinalizationFailure({
      deps,
      envelopeId: envelope.id,
      error: { Error: 'TransientError', Cause: 'KMS' },
    });
    const mails = await deps.parseSentMail();
    expect(mails.map((m) => m.deliveredTo)).toEqual([[envelope.sender.email]]);
    expect(mails[0]?.text).toContain('relancée automatiquement');
    expect(mails[0]?.text).toContain('retried automatically');
  });

  it('a permanent failure: the sender is told it will not be retried, and every signer is told', async () => {
    const deps = createFakeDeps();
    const { envelope, signers } = await allSigned(deps);
    await notifyFinalizationFailure({
      deps,
      envelopeId: envelope.id,
      error: { Error: 'PdfAssemblyError', Cause: 'bad image' },
    });
    expect(await getEnvelope(deps.store, envelope.id)).toMatchObject({ status: 'failed', failureKind: 'permanent' });
    const mails = await deps.parseSentMail();
    expect(mails.map((m) => m.deliveredTo[0])).toEqual([envelope.sender.email, ...signers.map((s) => s.email)]);
    expect(mails[0]?.text).toContain('ne sera pas relancée automatiquement');
    expect(mails[1]?.text).toContain('n’a pas pu être produit');
    expect(mails.every((m) => !m.text?.includes('rien n'))).toBe(true);
    expect(await resumeFinalizations({ deps })).toEqual([]);
  });

  it('a temporary failure that keeps coming back becomes permanent after the automatic retries', async () => {
    const deps = createFakeDeps();
    const { envelope } = await allSigned(deps);
    await deps.store.update(envelopeKey(envelope.id), { set: { finalizeRetries: MAX_AUTOMATIC_RETRIES } });
    await notifyFinalizationFailure({
      deps,
      envelopeId: envelope.id,
      error: { Error: 'TransientError', Cause: 'KMS' },
    });
    expect(await getEnvelope(deps.store, envelope.id)).toMatchObject({ failureKind: 'permanent' });
  });

  it('one failure, one notice: a second NotifyFailure of the same run sends nothing', async () => {
    const deps = createFakeDeps();
    const { envelope } = await allSigned(deps);
    await notifyFinalizationFailure({ deps, envelopeId: envelope.id, error: { Error: 'X' } });
    const count = deps.sentMail.length;
    await notifyFinalizationFailure({ deps, envelopeId: envelope.id, error: { Error: 'X' } });
    expect(deps.sentMail).toHaveLength(count);
  });
});
