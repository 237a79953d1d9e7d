// Every input gets an outcome: an error intake did not expect ends, at the last attempt, in a
// recorded `failed` outcome and a truthful reply to the authenticated sender; a delivery that
// finds another attempt at work asks to be retried instead of dropping the mail; the sweep
// resumes what a dead process left.
import { describe, expect, it } from 'vitest';
import { getEnvelope } from '../../../../lambdas/core/envelopes/envelope-records.ts';
import { envelopeIdFor } from '../../../../lambdas/core/intake/create-envelope-steps.ts';
import {
  claimInboundMessage,
  getInboundRecord,
  INTAKE_LEASE_MS,
  IntakeInProgressError,
  recordInboundReceived,
} from '../../../../lambdas/core/intake/inbound-records.ts';
import {
  handleIntakeError,
  IntakeInputError,
  MAX_INTAKE_ATTEMPTS,
} from '../../../../lambdas/core/intake/intake-failure.ts';
import { receiveSignRequest } from '../../../../lambdas/core/intake/receive-sign-request.ts';
import { resumeStaleIntakes } from '../../../../lambdas/core/intake/resume-intakes.ts';
import { createFakeDeps, type FakeDeps } from '../../../support/fake-deps.ts';
import { buildSignRequestMail, makePdf } from '../../../support/mail-fixtures.ts';

const PASS = { dmarc: 'PASS', spf: 'PASS', dkim: 'PASS', spam: 'PASS', virus: 'PASS' };
const SENDER = 'claire@agence-dubois.fr';

async function store(deps: FakeDeps, messageId = 'm1') {
  const raw = await buildSignRequestMail({
    to: ['Jeanne <jeanne@client.fr>', 'Paul <paul@client.fr>'],
    subject: '*SIGN Contrat',
    text: 'Bonjour',
    attachments: [{ filename: 'contrat.pdf', content: await makePdf(), contentType: 'application/pdf' }],
  });
  await deps.rawMail.put({ key: messageId, body: raw, contentType: 'message/rfc822' });
}

const deliver = (deps: FakeDeps, messageId = 'm1') =>
  receiveSignRequest({ deps, messageId, verdicts: PASS, envelopeSender: SENDER });

/** Delivers like Lambda's async invocation: up to MAX_INTAKE_ATTEMPTS, each after the previous failed. */
async function deliverWithRetries(deps: FakeDeps) {
  for (let attempt = 1; attempt < MAX_INTAKE_ATTEMPTS; attempt += 1) {
    try {
      return await deliver(deps);
    } catch {
      deps.advance(60_000);
    }
  }
  return deliver(deps);
}

describe('intake: unexpected errors', () => {
  it('rethrows before the last attempt so the retry resumes, and gives the lease back at once', async () => {
    const deps = createFakeDeps();
    await store(deps);
    const send = deps.mailer.send;
    deps.mailer.send = async () => {
      throw new Error('mailer down');
    };
    await expect(deliver(deps)).rejects.toThrow('mailer down');
    const record = await getInboundRecord({ store: deps.store, messageId: 'm1' });
    expect(record).toMatchObject({ attempts: 1, leaseUntil: deps.clock.now().getTime() });
    expect(record?.outcome).toBeUndefined();
    deps.mailer.send = send;
    expect(await deliver(deps)).toMatchObject({ status: 'accepted' });
  });

  it(
    'at the last attempt, before anyone was contacted: outcome failed, the ' + 'sender told nobody was contacted',
    async () => {
      const deps = createFakeDeps();
      await store(deps);
      const put = deps.store.put.bind(deps.store);
      deps.store.put = async (item, options) => {
        if (item.sk.startsWith('SIGNER#')) throw new Error('store down');
        return put(item, options);
      };
      const outcome = await deliverWithRetries(deps);
      expect(outcome).toEqual({ status: 'failed', code: 'INTAKE_FAILED' });
      expect((await getInboundRecord({ store: deps.store, messageId: 'm1' }))?.outcome).toEqual(outcome);
      const mails = await deps.parseSentMail();
      expect(mails.map((m) => m.deliveredTo)).toEqual([[SENDER]]);
      expect(mails[0]?.text).toContain("personne n'a été contacté");
      expect(mails[0]?.text).toContain('nobody was contacted');
      // The envelope begun is cancelled: it never shows as a live request.
      expect((await getEnvelope(deps.store, envelopeIdFor('m1')))?.status).toBe('cancelled');
      // A later redelivery finds the outcome and does nothing more.
      deps.advance(INTAKE_LEASE_MS * 2);
      expect(await deliver(deps)).toEqual({ status: 'ignored', reason: 'already processed' });
      expect(deps.sentMail).toHaveLength(1);
    },
  );

  it('at the last attempt, after invitations began: the request is stopped and the sender told so', async () => {
    const deps = createFakeDeps();
    await store(deps);
    const send = deps.mailer.send;
    deps.mailer.send = async (mail) => {
      if (mail.to[0] === 'paul@client.fr') throw new Error('rejected');
      return send(mail);
    };
    const outcome = await deliverWithRetries(deps);
    expect(outcome).toEqual({ status: 'failed', code: 'INTAKE_INCOMPLETE' });
    const mails = await deps.parseSentMail();
    // Jeanne was invited once (her mark kept her from a second copy), then the sender was told.
    expect(mails.map((m) => m.deliveredTo[0])).toEqual(['jeanne@client.fr', SENDER]);
    expect(mails[1]?.text).toContain('Certains signataires ont pu recevoir une invitation');
    expect((await getEnvelope(deps.store, envelopeIdFor('m1')))?.status).toBe('cancelled');
  });

  it('answers an unreadable message at once (the same input fails the same way)', async () => {
    const deps = createFakeDeps();
    await claimInboundMessage({ store: deps.store, clock: deps.clock, messageId: 'm1', ttl: 1 });
    const outcome = await handleIntakeError({
      deps,
      messageId: 'm1',
      error: new IntakeInputError(new RangeError('Invalid array length')),
      sender: { name: 'Claire', email: SENDER },
      subject: 'Contrat',
      envelopeId: envelopeIdFor('m1'),
      ttl: 1,
    });
    expect(outcome).toEqual({ status: 'failed', code: 'MAIL_UNREADABLE' });
    expect((await deps.parseSentMail())[0]?.text).toContain("personne n'a été contacté");
  });

  it('sends nothing to a sender that was not authenticated, but still records the outcome', async () => {
    const deps = createFakeDeps();
    await claimInboundMessage({ store: deps.store, clock: deps.clock, messageId: 'm1', ttl: 1 });
    const outcome = await handleIntakeError({
      deps,
      messageId: 'm1',
      error: new IntakeInputError(new Error('bad MIME')),
      subject: '',
      envelopeId: envelopeIdFor('m1'),
      ttl: 1,
    });
    expect(outcome).toEqual({ status: 'failed', code: 'MAIL_UNREADABLE' });
    expect(deps.sentMail).toHaveLength(0);
  });
});

describe('intake: claims and leases', () => {
  it('asks a concurrent delivery to retry later instead of dropping the mail', async () => {
    const deps = createFakeDeps();
    await store(deps);
    await claimInboundMessage({ store: deps.store, clock: deps.clock, messageId: 'm1', ttl: 1 });
    await expect(deliver(deps)).rejects.toBeInstanceOf(IntakeInProgressError);
    expect(deps.sentMail).toHaveLength(0);
  });

  it('resumes (not restarts) a claim whose attempt died, once its lease has expired', async () => {
    const deps = createFakeDeps();
    await store(deps);
    const send = deps.mailer.send;
    let sends = 0;
    deps.mailer.send = async (mail) => {
      sends += 1;
      // The process "dies" after the first invitation: no catch runs, the lease stays held.
      if (sends === 2) throw Object.assign(new Error('killed'), { name: 'Killed' });
      return send(mail);
    };
    const claimBefore = deps.store.update.bind(deps.store);
    deps.store.update = async (key, options) => {
      if (options.set && 'leaseUntil' in options.set && !('resumedAt' in options.set)) throw new Error('dead');
      return claimBefore(key, options);
    };
    await expect(deliver(deps)).rejects.toThrow('killed');
    deps.store.update = claimBefore;
    deps.mailer.send = send;
    await expect(deliver(deps)).rejects.toBeInstanceOf(IntakeInProgressError);
    deps.advance(INTAKE_LEASE_MS + 1);
    expect(await deliver(deps)).toMatchObject({ status: 'accepted', envelopeId: envelopeIdFor('m1') });
    expect(deps.sentMail.map((m) => m.to[0])).toEqual(['jeanne@client.fr', 'paul@client.fr', SENDER]);
    expect((await getInboundRecord({ store: deps.store, messageId: 'm1' }))?.attempts).toBe(2);
  });

  it('the sweep starts a message stored and listed but never claimed (killed after the SMTP 250)', async () => {
    const deps = createFakeDeps();
    await store(deps);
    await recordInboundReceived({ store: deps.store, clock: deps.clock, messageId: 'm1', verdicts: PASS, ttl: 1 });
    const resumed = await resumeStaleIntakes({ deps, ignoreLeases: true });
    expect(resumed).toEqual([{ messageId: 'm1', outcome: { status: 'accepted', envelopeId: envelopeIdFor('m1') } }]);
    expect(deps.sentMail).toHaveLength(3);
  });

  it('the sweep resumes what a dead process left, with the verdicts saved at the claim', async () => {
    const deps = createFakeDeps();
    await store(deps);
    await claimInboundMessage({
      store: deps.store,
      clock: deps.clock,
      messageId: 'm1',
      ttl: 1,
      verdicts: PASS,
      envelopeSender: SENDER,
    });
    expect(await resumeStaleIntakes({ deps })).toEqual([]);
    const resumed = await resumeStaleIntakes({ deps, ignoreLeases: true });
    expect(resumed).toEqual([{ messageId: 'm1', outcome: { status: 'accepted', envelopeId: envelopeIdFor('m1') } }]);
    expect(deps.sentMail).toHaveLength(3);
    expect(await resumeStaleIntakes({ deps, ignoreLeases: true })).toEqual([]);
  });
});
