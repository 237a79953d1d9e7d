// The scheduled envelope checks: automatic reminders to the signer whose turn it is after
// MAILSIGN_REMIND_AFTER_DAYS and twice that, expiry told to the sender and pending signers, each
// sent once even when sweeps run twice or overlap; read from the due-index only.
import { beforeEach, describe, expect, it } from 'vitest';
import { getEnvelope } from '../../../../lambdas/core/envelopes/envelope-records.ts';
import { DUE_JOBS_PK } from '../../../../lambdas/core/scheduling/due-jobs.ts';
import { scheduleEnvelopeChecks } from '../../../../lambdas/core/scheduling/check-envelope.ts';
import { runDueJobs } from '../../../../lambdas/core/scheduling/run-due-jobs.ts';
import { remindSigner } from '../../../../lambdas/core/sender-controls/remind-signer.ts';
import { getSigningView } from '../../../../lambdas/core/signing/get-signing-view.ts';
import { submitSignature } from '../../../../lambdas/core/signing/submit-signature.ts';
import { createFakeDeps, type FakeDeps } from '../../../support/fake-deps.ts';
import {
  createEnvelopeFixture,
  testClient,
  validSubmission,
  verifyPhone,
  type EnvelopeFixture,
} from '../signing/envelope-fixture.ts';

const DAY = 86_400_000;
let deps: FakeDeps;
let fixture: EnvelopeFixture;

beforeEach(async () => {
  deps = createFakeDeps();
  fixture = await createEnvelopeFixture(deps, { signers: 2 });
  await scheduleEnvelopeChecks({ deps, envelope: fixture.envelope });
});

const recipients = () => deps.sentMail.map((mail) => mail.to[0]);
const sweep = () => runDueJobs({ deps });

describe('automatic reminders', () => {
  it('sends nothing before the delay', async () => {
    deps.advance(3 * DAY - 60_000);
    expect([(await sweep()).ran, deps.sentMail]).toEqual([[], []]);
  });

  it('reminds the signer whose turn it is after 3 days, with a working link', async () => {
    deps.advance(3 * DAY);
    const { ran } = await sweep();
    const [mail] = await deps.parseSentMail();
    const token = /#t=([A-Za-z0-9_-]+)/.exec(mail?.text ?? '')?.[1];
    expect([ran, recipients()]).toEqual([
      [{ job: 'reminder', envelopeId: fixture.envelope.id, position: 1 }],
      ['signer1@client.test'],
    ]);
    expect((await getSigningView({ deps, token })).you.yourTurn).toBe(true);
  });

  it('reminds again after twice the delay, and not a third time', async () => {
    for (let day = 1; day <= 12; day += 1) {
      deps.advance(DAY);
      await sweep();
    }
    expect(recipients()).toEqual(['signer1@client.test', 'signer1@client.test']);
  });

  it('counts from the start of the turn for the next signer', async () => {
    deps.advance(2 * DAY);
    await verifyPhone(deps, fixture.tokens[0] ?? '');
    await submitSignature({
      deps,
      token: fixture.tokens[0],
      input: validSubmission(fixture.envelope),
      client: testClient,
    });
    deps.sentMail.length = 0;
    deps.advance(2 * DAY);
    await sweep();
    expect(recipients()).toEqual([]);
    deps.advance(DAY);
    await sweep();
    expect(recipients()).toEqual(['signer2@client.test']);
  });

  it('honours MAILSIGN_REMIND_AFTER_DAYS', async () => {
    deps.settings = { ...deps.settings, remindAfterDays: 5 };
    deps.advance(4 * DAY);
    await sweep();
    deps.advance(DAY);
    await sweep();
    expect(recipients()).toEqual(['signer1@client.test']);
  });

  it('skips the automatic reminder when the sender reminded less than 24 h before', async () => {
    deps.advance(3 * DAY - 3_600_000);
    await remindSigner({ deps, envelope: fixture.envelope, trigger: 'area' });
    deps.advance(3_600_000);
    const { ran } = await sweep();
    expect([ran[0]?.job, recipients()]).toEqual(['reminder-skipped', ['signer1@client.test']]);
  });

  it('sends each reminder once when the sweep runs twice or two sweeps overlap', async () => {
    deps.advance(3 * DAY);
    await Promise.all([sweep(), sweep()]);
    await sweep();
    expect(recipients()).toEqual(['signer1@client.test']);
  });
});

describe('expiry', () => {
  it(
    'expires the envelope and tells the sender and every pending signer, ' + 'once, even with overlapping sweeps',
    async () => {
      deps.advance(30 * DAY);
      await Promise.all([sweep(), sweep()]);
      await sweep();
      const mails = await deps.parseSentMail();
      expect((await getEnvelope(deps.store, fixture.envelope.id))?.status).toBe('expired');
      expect(mails.map((m) => m.deliveredTo[0]).sort()).toEqual([
        'alice@sender.test',
        'signer1@client.test',
        'signer2@client.test',
      ]);
      const toSender = mails.find((m) => m.deliveredTo[0] === 'alice@sender.test');
      expect([toSender?.headers.get('x-mailsign-envelope'), toSender?.subject]).toEqual([
        fixture.envelope.id,
        expect.stringMatching(
          /^Demande expirée\u202f: Devis rénovation \/ Request expired: Devis rénovation \(Réf\. \S{8}\)$/,
        ),
      ]);
    },
  );

  it('still tells people when the signing page expired the envelope first', async () => {
    deps.advance(30 * DAY);
    await getSigningView({ deps, token: fixture.tokens[0] }).catch(() => undefined);
    await sweep();
    expect(recipients().sort()).toEqual(['alice@sender.test', 'signer1@client.test', 'signer2@client.test']);
  });

  it('leaves a completed envelope alone and empties the due-index', async () => {
    for (const token of fixture.tokens) {
      await verifyPhone(deps, token);
      await submitSignature({ deps, token, input: validSubmission(fixture.envelope), client: testClient });
    }
    deps.sentMail.length = 0;
    deps.advance(40 * DAY);
    await sweep();
    expect([deps.sentMail, await deps.store.query(DUE_JOBS_PK)]).toEqual([[], []]);
  });
});
