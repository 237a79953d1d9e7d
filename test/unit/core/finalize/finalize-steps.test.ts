// The finalization steps on in-memory fakes: readiness, delivery (attached or by link, never
// twice to one recipient), completion and the failure notice.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { showAccount } from '../../../../lambdas/core/accounts/manage-account.ts';
import { chargeSignature } from '../../../../lambdas/core/billing/charge-signature.ts';
import { PENDING_CHARGE_STALE_MS } from '../../../../lambdas/core/billing/settle-pending-charge.ts';
import { signatureChargeKey } from '../../../../lambdas/core/billing/signature-records.ts';
import { envelopeKey, getEnvelope } from '../../../../lambdas/core/envelopes/envelope-records.ts';
import { completeEnvelope } from '../../../../lambdas/core/finalize/complete-envelope.ts';
import { deliverEnvelope } from '../../../../lambdas/core/finalize/deliver-envelope.ts';
import type { CertifiedDocumentRef } from '../../../../lambdas/core/finalize/finalize-types.ts';
import { signedFileName } from '../../../../lambdas/core/finalize/finalize-types.ts';
import { notifyFinalizationFailure } from '../../../../lambdas/core/finalize/notify-finalization-failure.ts';
import { prepareFinalization } from '../../../../lambdas/core/finalize/prepare-finalization.ts';
import { retryFinalization } from '../../../../lambdas/core/finalize/retry-finalization.ts';
import { submitSignature } from '../../../../lambdas/core/signing/submit-signature.ts';
import { findCertifiedRecord } from '../../../../lambdas/core/verify/certified-index.ts';
import { MAX_MAIL_BYTES } from '../../../../lambdas/core/mail/mail-size.ts';
import { createFakeDeps, type FakeDeps } from '../../../support/fake-deps.ts';
import { crashOnce, crashPoints } from '../billing/crashing-store.ts';
import { createEnvelopeFixture, testClient, validSubmission, verifyPhone } from '../signing/envelope-fixture.ts';

async function allSigned(deps: FakeDeps) {
  const fixture = await createEnvelopeFixture(deps, { signers: 2 });
  for (const token of fixture.tokens) {
    await verifyPhone(deps, token);
    await submitSignature({ deps, token, input: validSubmission(fixture.envelope), client: testClient });
  }
  deps.sentMail.length = 0;
  return fixture;
}

async function certifiedRefs(deps: FakeDeps, envelopeId: string, size?: number): Promise<CertifiedDocumentRef[]> {
  const envelope = await getEnvelope(deps.store, envelopeId);
  return Promise.all(
    (envelope?.documents ?? []).map(async (document) => {
      const key = `envelopes/${envelopeId}/certified/${document.id}.pdf`;
      const body = new TextEncoder().encode(`%PDF-certified ${document.id}`);
      await deps.documents.put({ key, body, contentType: 'application/pdf' });
      return {
        envelopeId,
        documentId: document.id,
        certifiedKey: key,
        name: signedFileName(document.name),
        sha256: 'h',
        size: size ?? body.length,
      };
    }),
  );
}

describe('prepareFinalization', () => {
  it('lists every document of an envelope whose signers all signed, with the key of its original', async () => {
    const deps = createFakeDeps();
    const { envelope } = await allSigned(deps);
    const prepared = await prepareFinalization({ deps, envelopeId: envelope.id });
    expect(prepared.documents).toEqual(
      envelope.documents.map((d) => ({ envelopeId: envelope.id, documentId: d.id, originalKey: d.key })),
    );
  });

  it('refuses an envelope with a signer still pending, under a named error', async () => {
    const deps = createFakeDeps();
    const { envelope } = await createEnvelopeFixture(deps, { signers: 2 });
    await expect(prepareFinalization({ deps, envelopeId: envelope.id })).rejects.toMatchObject({ name: 'NotReady' });
  });

  it('puts a failed envelope back to finalizing when it is retried', async () => {
    const deps = createFakeDeps();
    const { envelope } = await allSigned(deps);
    await deps.store.update(envelopeKey(envelope.id), { set: { status: 'failed', failureReason: 'x' } });
    await prepareFinalization({ deps, envelopeId: envelope.id });
    expect(await getEnvelope(deps.store, envelope.id)).toMatchObject({ status: 'finalizing' });
  });
});

/**
 * Refs as Certify gives them now: the original, then a signed update, for Deliver to join. With
 * `originalSize`, each original is first replaced by one of that many bytes.
 */
async function joinedRefs(deps: FakeDeps, envelopeId: string, originalSize?: number): Promise<CertifiedDocumentRef[]> {
  const envelope = await getEnvelope(deps.store, envelopeId);
  return Promise.all(
    (envelope?.documents ?? []).map(async (document) => {
      if (originalSize !== undefined)
        await deps.documents.put({
          key: document.key,
          body: new Uint8Array(originalSize).map((_, i) => (i * 31 + 7) % 251),
          contentType: 'application/pdf',
        });
      const original = (await deps.documents.get(document.key)) as Uint8Array;
      const signedUpdateKey = `envelopes/${envelopeId}/prepared/${document.id}.signed`;
      const update = new TextEncoder().encode(`\n% signed update of ${document.id}`);
      await deps.documents.put({ key: signedUpdateKey, body: update, contentType: 'application/octet-stream' });
      return {
        envelopeId,
        documentId: document.id,
        certifiedKey: `envelopes/${envelopeId}/certified/${document.id}.pdf`,
        name: signedFileName(document.name),
        size: original.byteLength + update.byteLength,
        joins: { original: { key: document.key, size: original.byteLength }, signedUpdateKey },
      };
    }),
  );
}

const sha256Hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('deliverEnvelope', () => {
  it('attaches the certified PDFs for the sender and each signer', async () => {
    const deps = createFakeDeps();
    const { envelope } = await allSigned(deps);
    const result = await deliverEnvelope({
      deps,
      envelopeId: envelope.id,
      documents: await certifiedRefs(deps, envelope.id),
    });
    expect(result).toMatchObject({ delivered: 3, mode: 'attached' });
    const mails = await deps.parseSentMail();
    expect(mails.map((m) => m.attachments.map((a) => a.filename))).toEqual(
      Array(3).fill(['Devis 2026-signe.pdf', 'Conditions générales-signe.pdf']),
    );
  });

  it('attaches 8 MB of certified PDFs (over the old 10 MB SES v1 limit once encoded)', async () => {
    const deps = createFakeDeps();
    const { envelope } = await allSigned(deps);
    const result = await deliverEnvelope({
      deps,
      envelopeId: envelope.id,
      documents: await certifiedRefs(deps, envelope.id, 8 * 1024 * 1024),
    });
    expect(result.mode).toBe('attached');
  });

  it('links the verification page and the *VERIFY command in every final mail', async () => {
    const deps = createFakeDeps();
    const { envelope } = await allSigned(deps);
    await deliverEnvelope({ deps, envelopeId: envelope.id, documents: await certifiedRefs(deps, envelope.id) });
    const mails = await deps.parseSentMail();
    expect(mails).toHaveLength(3);
    for (const mail of mails) {
      expect(mail.text).toContain(`${deps.settings.publicUrl}/verify.html`);
      expect(mail.text).toContain('*VERIFY');
    }
  });

  it('sends a download link instead when the mail would exceed what SES accepts', async () => {
    const deps = createFakeDeps();
    const { envelope } = await allSigned(deps);
    await deliverEnvelope({
      deps,
      envelopeId: envelope.id,
      documents: await certifiedRefs(deps, envelope.id, MAX_MAIL_BYTES),
    });
    const mails = await deps.parseSentMail();
    expect(mails.every((m) => m.attachments.length === 0)).toBe(true);
    expect(mails.find((m) => m.deliveredTo[0] === 'signer1@client.test')?.text).toMatch(
      /sign\.html#t=[A-Za-z0-9_-]{32,}/,
    );
    expect(mails.find((m) => m.deliveredTo[0] === 'alice@sender.test')?.text).toContain('/account.html');
  });

  it('joins each file Certify left as parts, stores it once and records its SHA-256', async () => {
    const deps = createFakeDeps();
    const { envelope } = await allSigned(deps);
    const documents = await joinedRefs(deps, envelope.id);

    const result = await deliverEnvelope({ deps, envelopeId: envelope.id, documents });

    const files = await Promise.all(
      documents.map(async (d) => (await deps.documents.get(d.certifiedKey)) as Uint8Array),
    );
    const originals = await Promise.all(
      envelope.documents.map(async (d) => (await deps.documents.get(d.key)) as Uint8Array),
    );
    expect(
      files.map((file, index) => Buffer.from(file).subarray(0, originals[index]!.length).equals(originals[index]!)),
    ).toEqual([true, true]);
    expect(result.stored).toEqual(
      documents.map((d, index) => ({ documentId: d.documentId, sha256: sha256Hex(files[index]!) })),
    );
    const records = await Promise.all(files.map((file) => findCertifiedRecord(deps.store, sha256Hex(file))));
    expect(records.map((r) => r?.documentId)).toEqual(documents.map((d) => d.documentId));
    const mails = await deps.parseSentMail();
    expect(
      mails[0]?.attachments.map((a) =>
        Buffer.from(a.content).equals(Buffer.from(files[mails[0]!.attachments.indexOf(a)]!)),
      ),
    ).toEqual([true, true]);
  });

  it('attaches each joined file as stored, its encoding made while it downloaded', async () => {
    const deps = createFakeDeps();
    const { envelope } = await allSigned(deps);
    const documents = await joinedRefs(deps, envelope.id, 300_001);

    await deliverEnvelope({ deps, envelopeId: envelope.id, documents });

    const files = await Promise.all(
      documents.map(async (d) => Buffer.from((await deps.documents.get(d.certifiedKey)) as Uint8Array)),
    );
    const mails = await deps.parseSentMail();
    expect(mails).toHaveLength(3);
    for (const mail of mails)
      expect(mail.attachments.map((a, index) => Buffer.from(a.content).equals(files[index] as Buffer))).toEqual([
        true,
        true,
      ]);
  });

  it('stores and records each joined file before a download link names it', async () => {
    const deps = createFakeDeps();
    const { envelope } = await allSigned(deps);
    // Two originals whose certified files, attached, would exceed what SES accepts.
    const documents = await joinedRefs(deps, envelope.id, Math.ceil(MAX_MAIL_BYTES / 2.5));
    const events: string[] = [];
    const putStream = deps.documents.putStream.bind(deps.documents);
    deps.documents.putStream = async (object) => {
      await putStream(object);
      events.push(`stored ${object.key}`);
    };
    const send = deps.mailer.send.bind(deps.mailer);
    deps.mailer.send = async (mail) => {
      events.push('mail');
      return send(mail);
    };

    const result = await deliverEnvelope({ deps, envelopeId: envelope.id, documents });

    expect(result.mode).toBe('link');
    expect(events.slice(0, 2).sort()).toEqual(documents.map((d) => `stored ${d.certifiedKey}`).sort());
    expect(events.slice(2)).toEqual(['mail', 'mail', 'mail']);
  });

  it('does not mail a recipient twice when the step is retried', async () => {
    const deps = createFakeDeps();
    const { envelope } = await allSigned(deps);
    const documents = await certifiedRefs(deps, envelope.id);
    await deliverEnvelope({ deps, envelopeId: envelope.id, documents });
    await deliverEnvelope({ deps, envelopeId: envelope.id, documents });
    expect(deps.sentMail).toHaveLength(3);
  });
});

describe('completeEnvelope and notifyFinalizationFailure', () => {
  it('completes once and records the certified documents', async () => {
    const deps = createFakeDeps();
    const { envelope } = await allSigned(deps);
    const documents = await certifiedRefs(deps, envelope.id);
    await completeEnvelope({ deps, envelopeId: envelope.id, documents });
    await completeEnvelope({ deps, envelopeId: envelope.id, documents });
    const completed = await getEnvelope(deps.store, envelope.id);
    expect(completed?.status).toBe('completed');
    expect(completed?.certified?.map((c) => c.name)).toEqual([
      'Devis 2026-signe.pdf',
      'Conditions générales-signe.pdf',
    ]);
  });

  it("records the SHA-256 Deliver computed for a file it joined from Certify's parts", async () => {
    const deps = createFakeDeps();
    const { envelope } = await allSigned(deps);
    const documents = await joinedRefs(deps, envelope.id);
    const delivery = await deliverEnvelope({ deps, envelopeId: envelope.id, documents });

    await completeEnvelope({ deps, envelopeId: envelope.id, documents, delivery });

    const completed = await getEnvelope(deps.store, envelope.id);
    expect(completed?.certified?.map((c) => c.sha256)).toEqual(delivery.stored?.map((s) => s.sha256));
  });

  it('refuses, under a named error, an envelope that no longer exists', async () => {
    const deps = createFakeDeps();
    const { envelope } = await allSigned(deps);
    const documents = await certifiedRefs(deps, envelope.id);
    await deps.store.delete(envelopeKey(envelope.id));

    const completing = completeEnvelope({ deps, envelopeId: envelope.id, documents });

    await expect(completing).rejects.toMatchObject({ name: 'EnvelopeNotFound' });
  });

  it('leaves an envelope that is not finalizing as it is, and fails', async () => {
    const deps = createFakeDeps();
    const { envelope } = await allSigned(deps);
    const documents = await certifiedRefs(deps, envelope.id);
    await deps.store.update(envelopeKey(envelope.id), { set: { status: 'failed' } });

    const completing = completeEnvelope({ deps, envelopeId: envelope.id, documents });

    await expect(completing).rejects.toMatchObject({ name: 'ConditionFailedError' });
    const after = await getEnvelope(deps.store, envelope.id);
    expect([after?.status, after?.certified]).toEqual(['failed', undefined]);
  });

  it('refuses, under a named error, a joined file Deliver did not report storing', async () => {
    const deps = createFakeDeps();
    const { envelope } = await allSigned(deps);
    const documents = await joinedRefs(deps, envelope.id);

    const completing = completeEnvelope({ deps, envelopeId: envelope.id, documents, delivery: { stored: [] } });

    await expect(completing).rejects.toMatchObject({ name: 'DocumentNotFound' });
    expect((await getEnvelope(deps.store, envelope.id))?.status).toBe('finalizing');
  });

  it('marks the envelope failed and tells the sender once', async () => {
    const deps = createFakeDeps();
    const { envelope } = await allSigned(deps);
    await notifyFinalizationFailure({
      deps,
      envelopeId: envelope.id,
      error: { Error: 'TransientError', Cause: 'KMS throttled' },
    });
    await notifyFinalizationFailure({
      deps,
      envelopeId: envelope.id,
      error: { Error: 'TransientError', Cause: 'KMS throttled' },
    });
    expect((await getEnvelope(deps.store, envelope.id))?.status).toBe('failed');
    expect(deps.sentMail.map((m) => m.to)).toEqual([['alice@sender.test']]);
  });

  it('leaves a completed envelope completed', async () => {
    const deps = createFakeDeps();
    const { envelope } = await allSigned(deps);
    await completeEnvelope({ deps, envelopeId: envelope.id, documents: await certifiedRefs(deps, envelope.id) });
    expect(await notifyFinalizationFailure({ deps, envelopeId: envelope.id })).toEqual({
      envelopeId: envelope.id,
      status: 'unchanged',
    });
  });
});

describe('completeEnvelope and the charges of its signatures', () => {
  const SENDER = 'alice@sender.test';

  /** Both signers signed; the second signature's charge died before its debit (the 11th: charged). */
  async function signedWithInterruptedCharge(deps: FakeDeps) {
    const at = deps.clock.now().toISOString();
    for (let i = 1; i <= 9; i += 1)
      await chargeSignature({ ...deps, email: SENDER, envelopeId: `old${i}`, position: 1, at });
    const fixture = await createEnvelopeFixture(deps, { signers: 2 });
    const store = deps.store;
    for (const [index, token] of fixture.tokens.entries()) {
      await verifyPhone(deps, token);
      if (index === 1) deps.store = crashOnce({ store, when: crashPoints.beforeDebit });
      await submitSignature({ deps, token, input: validSubmission(fixture.envelope), client: testClient });
    }
    deps.store = store;
    return fixture;
  }

  it('settles a signature charge a crash left pending', async () => {
    const deps = createFakeDeps();
    const { envelope } = await signedWithInterruptedCharge(deps);
    deps.advance(PENDING_CHARGE_STALE_MS + 1000);
    await completeEnvelope({ deps, envelopeId: envelope.id, documents: await certifiedRefs(deps, envelope.id) });
    const record = await deps.store.get(signatureChargeKey(SENDER, envelope.id, 2));
    expect([record?.state, (await showAccount({ ...deps, email: SENDER })).balanceCents]).toEqual(['decided', -200]);
  });

  it('completes, naming the charges left pending, when settling them fails', async () => {
    const deps = createFakeDeps();
    const { envelope } = await signedWithInterruptedCharge(deps);
    deps.advance(PENDING_CHARGE_STALE_MS + 1000);
    const store = deps.store;
    deps.store = crashOnce({ store, when: crashPoints.beforeDebit });
    const result = await completeEnvelope({
      deps,
      envelopeId: envelope.id,
      documents: await certifiedRefs(deps, envelope.id),
    });
    expect([result, (await getEnvelope(store, envelope.id))?.status]).toEqual([
      { envelopeId: envelope.id, status: 'completed', unsettledCharges: [`${envelope.id}-02`] },
      'completed',
    ]);
  });

  it('completes, naming every signature, when the signers cannot be read for billing', async () => {
    const deps = createFakeDeps();
    const { envelope } = await allSigned(deps);
    const store = deps.store;
    deps.store = {
      ...store,
      query: async (pk, options) =>
        options?.skPrefix === 'SIGNER#' ? Promise.reject(new Error('store down')) : store.query(pk, options),
    };
    const result = await completeEnvelope({
      deps,
      envelopeId: envelope.id,
      documents: await certifiedRefs(deps, envelope.id),
    });
    expect(result).toEqual({
      envelopeId: envelope.id,
      status: 'completed',
      unsettledCharges: [`${envelope.id}-01`, `${envelope.id}-02`],
    });
  });

  it('reports nothing unsettled when every charge was decided', async () => {
    const deps = createFakeDeps();
    const { envelope } = await allSigned(deps);
    const result = await completeEnvelope({
      deps,
      envelopeId: envelope.id,
      documents: await certifiedRefs(deps, envelope.id),
    });
    expect(result).toEqual({ envelopeId: envelope.id, status: 'completed' });
  });
});

describe('signedFileName', () => {
  it('says the file is the signed one', () => {
    expect(signedFileName('contrat.pdf')).toBe('contrat-signe.pdf');
    expect(signedFileName('Devis.PDF')).toBe('Devis-signe.pdf');
  });
});

describe('retryFinalization', () => {
  it('puts a failed envelope back to finalizing and starts attempt 2', async () => {
    const deps = createFakeDeps();
    const { envelope } = await allSigned(deps);
    const started: Array<{ envelopeId: string; attempt?: number }> = [];
    deps.workflow = { startFinalization: async (start) => void started.push(start) };
    await deps.store.update(envelopeKey(envelope.id), { set: { status: 'failed', failureReason: 'x' } });
    expect(await retryFinalization({ deps, envelopeId: envelope.id })).toEqual({ envelopeId: envelope.id, attempt: 2 });
    expect(started).toEqual([{ envelopeId: envelope.id, attempt: 2 }]);
    expect(await getEnvelope(deps.store, envelope.id)).toMatchObject({ status: 'finalizing' });
  });

  it('refuses an envelope that has not failed', async () => {
    const deps = createFakeDeps();
    const { envelope } = await allSigned(deps);
    await expect(retryFinalization({ deps, envelopeId: envelope.id })).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('lets only one of two simultaneous retries start a run', async () => {
    const deps = createFakeDeps();
    const { envelope } = await allSigned(deps);
    await deps.store.update(envelopeKey(envelope.id), { set: { status: 'failed' } });
    const results = await Promise.allSettled([
      retryFinalization({ deps, envelopeId: envelope.id }),
      retryFinalization({ deps, envelopeId: envelope.id }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  });
});
