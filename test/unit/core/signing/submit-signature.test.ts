// submitSignature: precedence of the checks, what is stored, the turn, mails and finalization.
import { beforeEach, describe, expect, it } from 'vitest';
import { listAuditEvents } from '../../../../lambdas/core/audit/audit-events.ts';
import { envelopeKey, getEnvelope, getSigner } from '../../../../lambdas/core/envelopes/envelope-records.ts';
import type { Store } from '../../../../lambdas/core/ports.ts';
import { submitSignature, type SubmitSignatureInput } from '../../../../lambdas/core/signing/submit-signature.ts';
import { createFakeDeps, type FakeDeps } from '../../../support/fake-deps.ts';
import {
  createEnvelopeFixture,
  makePng,
  testClient,
  validSubmission,
  verifyPhone,
  type EnvelopeFixture,
} from './envelope-fixture.ts';

let deps: FakeDeps;
let fixture: EnvelopeFixture;

beforeEach(async () => {
  deps = createFakeDeps();
  fixture = await createEnvelopeFixture(deps);
});

const submit = (position = 1, input: SubmitSignatureInput = validSubmission(fixture.envelope)) =>
  submitSignature({ deps, token: fixture.tokens[position - 1], input, client: testClient });

/** Verifies the phone and signs for the signer at this position. */
const signAs = async (position: number) => {
  await verifyPhone(deps, fixture.tokens[position - 1] ?? '');
  return submit(position);
};

describe('submitSignature checks', () => {
  it('refuses before the phone is verified with PHONE_NOT_VERIFIED', async () => {
    await expect(submit()).rejects.toMatchObject({ code: 'PHONE_NOT_VERIFIED' });
  });

  it('refuses without consent with CONSENT_REQUIRED', async () => {
    await verifyPhone(deps, fixture.tokens[0] ?? '');
    await expect(submit(1, { ...validSubmission(fixture.envelope), consent: false })).rejects.toMatchObject({
      code: 'CONSENT_REQUIRED',
    });
  });

  it('refuses a non-PNG image with IMAGE_INVALID', async () => {
    await verifyPhone(deps, fixture.tokens[0] ?? '');
    await expect(
      submit(1, { ...validSubmission(fixture.envelope), image: 'data:image/png;base64,AAAA' }),
    ).rejects.toMatchObject({ code: 'IMAGE_INVALID' });
  });

  it('refuses bad placements with PLACEMENT_INVALID', async () => {
    await verifyPhone(deps, fixture.tokens[0] ?? '');
    await expect(submit(1, { ...validSubmission(fixture.envelope), placements: [] })).rejects.toMatchObject({
      code: 'PLACEMENT_INVALID',
    });
  });

  it('refuses the second signer before the first has signed with NOT_YOUR_TURN', async () => {
    await expect(submit(2)).rejects.toMatchObject({ code: 'NOT_YOUR_TURN' });
  });

  it('puts NOT_YOUR_TURN before every input error', async () => {
    await expect(submit(2, { image: 'x', placements: 'y', consent: false })).rejects.toMatchObject({
      code: 'NOT_YOUR_TURN',
    });
  });

  it('puts PHONE_NOT_VERIFIED before CONSENT_REQUIRED', async () => {
    await expect(submit(1, { consent: false })).rejects.toMatchObject({ code: 'PHONE_NOT_VERIFIED' });
  });

  it('puts CONSENT_REQUIRED before IMAGE_INVALID and PLACEMENT_INVALID', async () => {
    await verifyPhone(deps, fixture.tokens[0] ?? '');
    await expect(submit(1, { image: 'x', placements: [] })).rejects.toMatchObject({ code: 'CONSENT_REQUIRED' });
  });

  it('refuses a second signature by the same signer with ALREADY_SIGNED', async () => {
    await signAs(1);
    await expect(submit(1)).rejects.toMatchObject({ code: 'ALREADY_SIGNED' });
  });

  it('refuses on a declined envelope with ENVELOPE_CLOSED, before ALREADY_SIGNED', async () => {
    await signAs(1);
    await deps.store.update({ pk: `ENV#${fixture.envelope.id}`, sk: 'META' }, { set: { status: 'declined' } });
    await expect(submit(1)).rejects.toMatchObject({ code: 'ENVELOPE_CLOSED' });
  });

  it('refuses on an envelope past its date with ENVELOPE_CLOSED', async () => {
    await verifyPhone(deps, fixture.tokens[0] ?? '');
    await deps.store.update(
      { pk: `ENV#${fixture.envelope.id}`, sk: 'META' },
      { set: { expiresAt: deps.clock.now().toISOString() } },
    );
    await expect(submit(1)).rejects.toMatchObject({ code: 'ENVELOPE_CLOSED' });
  });

  it('refuses once the link has expired with LINK_EXPIRED', async () => {
    await verifyPhone(deps, fixture.tokens[0] ?? '');
    deps.advance(deps.settings.linkTtlDays * 86_400_000 + 1);
    await expect(submit(1)).rejects.toMatchObject({ code: 'LINK_EXPIRED' });
  });
});

describe('submitSignature effects', () => {
  it('answers signed', async () => {
    await expect(signAs(1)).resolves.toMatchObject({ status: 'signed' });
  });

  it('stores the image under the signer position, named after its hash', async () => {
    await signAs(1);
    const signer = await getSigner(deps.store, fixture.envelope.id, 1);
    expect(signer?.imageKey).toMatch(new RegExp(`^envelopes/${fixture.envelope.id}/signatures/1-[0-9a-f]{16}\\.png$`));
    expect(await deps.documents.get(signer?.imageKey ?? '')).toEqual(makePng());
  });

  it('stores the placements and the evidence on the signer', async () => {
    await signAs(1);
    const signer = await getSigner(deps.store, fixture.envelope.id, 1);
    expect(signer).toMatchObject({
      status: 'signed',
      placements: validSubmission(fixture.envelope).placements,
      evidence: {
        ip: testClient.ip,
        userAgent: testClient.userAgent,
        consent: true,
        phone: '+33612345678',
        documentHashes: {
          'doc-1': fixture.envelope.documents[0]?.sha256,
          'doc-2': fixture.envelope.documents[1]?.sha256,
        },
      },
    });
  });

  it('reads the envelope once: what follows the commit takes it from the commit itself', async () => {
    await verifyPhone(deps, fixture.tokens[0] ?? '');
    const key = envelopeKey(fixture.envelope.id);
    let envelopeReads = 0;
    const counting: Store = {
      ...deps.store,
      get: (read) => {
        if (read.pk === key.pk && read.sk === key.sk) envelopeReads += 1;
        return deps.store.get(read);
      },
    };

    await submitSignature({
      deps: { ...deps, store: counting },
      token: fixture.tokens[0],
      input: validSubmission(fixture.envelope),
      client: testClient,
    });

    expect(envelopeReads).toBe(1);
  });

  it('moves the turn before answering', async () => {
    await signAs(1);
    expect((await getEnvelope(deps.store, fixture.envelope.id))?.currentPosition).toBe(2);
  });

  it('lets the next signer sign at once', async () => {
    await signAs(1);
    await expect(signAs(2)).resolves.toMatchObject({ status: 'signed' });
  });

  it('audits the signature with the phone masked', async () => {
    await signAs(1);
    const events = await listAuditEvents({ store: deps.store, envelopeId: fixture.envelope.id });
    expect(events.find((event) => event.type === 'signer.signed')?.data).toMatchObject({
      phone: '+33 •••••••78',
      ip: testClient.ip,
    });
  });

  it('mails the next signer their turn with a working link and the originals attached', async () => {
    await signAs(1);
    const mail = (await deps.parseSentMail()).find((sent) => sent.deliveredTo.includes('signer2@client.test'));
    const token = /#t=([A-Za-z0-9_-]+)/.exec(mail?.text ?? '')?.[1];
    await verifyPhone(deps, token ?? '');
    const result = await submitSignature({ deps, token, input: validSubmission(fixture.envelope), client: testClient });
    expect([result.status, mail?.attachments.map((a) => a.filename)]).toEqual([
      'signed',
      ['Devis 2026.pdf', 'Conditions générales.pdf'],
    ]);
  });

  it('puts the link at the top of the "your turn" mail', async () => {
    await signAs(1);
    const mail = (await deps.parseSentMail()).find((sent) => sent.deliveredTo.includes('signer2@client.test'));
    expect(mail?.text?.split('\n')[0]).toMatch(/^Signer \/ Sign: https:\/\/sign\.example\.test\/sign\.html#t=/);
  });

  it('tells the sender "1 signature sur 2" and whose turn it is', async () => {
    await signAs(1);
    const mail = (await deps.parseSentMail()).find((sent) => sent.deliveredTo.includes('alice@sender.test'));
    expect([mail?.subject, mail?.text]).toEqual([
      expect.stringContaining('1 signature sur 2\u202f: '),
      expect.stringMatching(/au tour de .*signer2@client\.test/),
    ]);
  });

  it('does not start finalization before the last signer', async () => {
    await signAs(1);
    expect(deps.startedFinalizations).toEqual([]);
  });

  it('starts finalization once after the last signer and marks the envelope finalizing', async () => {
    await signAs(1);
    await signAs(2);
    const envelope = await getEnvelope(deps.store, fixture.envelope.id);
    expect([deps.startedFinalizations, envelope?.status]).toEqual([[fixture.envelope.id], 'finalizing']);
  });

  it('sends no "your turn" mail nor progress mail after the last signer', async () => {
    await signAs(1);
    await signAs(2);
    const recipients = (await deps.parseSentMail()).map((mail) => mail.deliveredTo[0]);
    expect(recipients.sort()).toEqual(['alice@sender.test', 'signer2@client.test']);
  });

  it('still answers signed when a notification cannot be sent', async () => {
    await verifyPhone(deps, fixture.tokens[0] ?? '');
    deps.mailer = {
      send: async () => {
        throw new Error('mail down');
      },
    };
    await expect(submit(1)).resolves.toMatchObject({ status: 'signed', undelivered: ['next-signer', 'sender'] });
  });
});

describe('submitSignature under concurrency', () => {
  it('lets exactly one of two simultaneous submits of one signer succeed', async () => {
    await verifyPhone(deps, fixture.tokens[0] ?? '');
    const results = await Promise.allSettled([submit(1), submit(1)]);
    expect(results.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);
  });

  it('answers the loser of a simultaneous submit ALREADY_SIGNED', async () => {
    await verifyPhone(deps, fixture.tokens[0] ?? '');
    const results = await Promise.allSettled([submit(1), submit(1)]);
    expect(results.find((result) => result.status === 'rejected')).toMatchObject({
      reason: { code: 'ALREADY_SIGNED' },
    });
  });

  it('moves the turn by exactly one after simultaneous submits', async () => {
    await verifyPhone(deps, fixture.tokens[0] ?? '');
    await Promise.allSettled([submit(1), submit(1), submit(1)]);
    expect((await getEnvelope(deps.store, fixture.envelope.id))?.currentPosition).toBe(2);
  });

  it('never lets a later signer skip the turn, even racing the current one', async () => {
    const three = await createEnvelopeFixture(deps, { signers: 3 });
    await verifyPhone(deps, three.tokens[0] ?? '');
    const input = validSubmission(three.envelope);
    const results = await Promise.allSettled(
      [1, 2, 3].map((position) =>
        submitSignature({ deps, token: three.tokens[position - 1], input, client: testClient }),
      ),
    );
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'rejected']);
  });

  it('starts finalization exactly once when the last signer submits twice at once', async () => {
    await signAs(1);
    await verifyPhone(deps, fixture.tokens[1] ?? '');
    let starts = 0;
    deps.workflow = {
      startFinalization: async () => {
        starts += 1;
      },
    };
    await Promise.allSettled([submit(2), submit(2)]);
    expect(starts).toBe(1);
  });
});
