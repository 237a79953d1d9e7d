// Finalization through the real state-machine definition run by aws-local-stepfunctions, with
// the local key-file seal: two signers sign, the workflow assembles, certifies, delivers and
// completes; every certified PDF passes the independent verifiers.
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyFileSigner } from '../../lambdas/adapters/local/key-file-signer.ts';
import { getEnvelope } from '../../lambdas/core/envelopes/envelope-records.ts';
import { createHttpTimestampAuthority } from '../../lambdas/adapters/http/rfc3161-timestamp-authority.ts';
import type { DigestSigner, TimestampAuthority } from '../../lambdas/core/ports.ts';
import { retryFinalization } from '../../lambdas/core/finalize/retry-finalization.ts';
import { assembleEnvelopeDocument } from '../../lambdas/core/finalize/assemble-envelope-document.ts';
import { certifyEnvelopeDocument } from '../../lambdas/core/finalize/certify-envelope-document.ts';
import { deliverEnvelope } from '../../lambdas/core/finalize/deliver-envelope.ts';
import { prepareDocumentParts } from '../../lambdas/core/pdf/index.ts';
import { preparedKey } from '../../lambdas/core/finalize/finalize-types.ts';
import { findCertifiedRecord } from '../../lambdas/core/verify/certified-index.ts';
import { submitSignature } from '../../lambdas/core/signing/submit-signature.ts';
import { createLocalWorkflow } from '../../lambdas/runtime/local-workflow.ts';
import { createFakeDeps, type FakeDeps } from '../support/fake-deps.ts';
import { verifyCertifiedPdf } from '../support/pdf-verifiers.ts';
import { requireTool } from '../support/require-tool.ts';
import { unreachableUrl } from '../support/openssl-tsa.ts';
import { makeAudit, makeStamps, SIGNING_TIME } from '../unit/core/pdf/pdf-test-fixtures.ts';
import {
  createEnvelopeFixture,
  testClient,
  validSubmission,
  verifyPhone,
  type EnvelopeFixture,
} from '../unit/core/signing/envelope-fixture.ts';

const tools = requireTool('pdfsig', 'mutool', 'qpdf', 'openssl');
let dataDir: string;
let sealSigner: DigestSigner;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'mailsign-seal-'));
  sealSigner = await createKeyFileSigner({ dataDir });
});

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

async function signedEnvelope(deps: FakeDeps): Promise<EnvelopeFixture> {
  const fixture = await createEnvelopeFixture(deps, { signers: 2 });
  for (const token of fixture.tokens) {
    await verifyPhone(deps, token);
    await submitSignature({ deps, token, input: validSubmission(fixture.envelope), client: testClient });
  }
  return fixture;
}

async function finalize(deps: FakeDeps, envelopeId: string) {
  const workflow = createLocalWorkflow({ getDeps: () => deps, retryIntervalMs: 5 });
  await workflow.startFinalization({ envelopeId });
  await workflow.idle();
  return workflow;
}

describe('local finalization workflow', () => {
  it.runIf(tools)('completes the envelope and mails certified PDFs that pass every verifier', async () => {
    const deps = createFakeDeps({ digestSigner: sealSigner });
    const { envelope } = await signedEnvelope(deps);
    deps.sentMail.length = 0;
    await finalize(deps, envelope.id);
    const finished = await getEnvelope(deps.store, envelope.id);
    expect(finished?.status).toBe('completed');
    const mails = await deps.parseSentMail();
    expect(mails.map((m) => m.deliveredTo[0]).sort()).toEqual([
      'alice@sender.test',
      'signer1@client.test',
      'signer2@client.test',
    ]);
    const attachments = mails[0]?.attachments ?? [];
    expect(attachments.map((a) => a.filename)).toEqual(['Devis 2026-signe.pdf', 'Conditions générales-signe.pdf']);
    const rootCaPem = await readFile(join(dataDir, 'seal', 'root-cert.pem'), 'utf8');
    for (const [index, attachment] of attachments.entries()) {
      const original = await deps.documents.get(envelope.documents[index]?.key ?? '');
      await verifyCertifiedPdf({ pdf: new Uint8Array(attachment.content), original, rootCaPem });
      // Certify recorded the file for *VERIFY and verify.html, with the report's facts.
      const sha256 = createHash('sha256').update(attachment.content).digest('hex');
      expect(await findCertifiedRecord(deps.store, sha256)).toMatchObject({
        envelopeId: envelope.id,
        originalSha256: envelope.documents[index]?.sha256,
        signers: [{ email: 'signer1@client.test' }, { email: 'signer2@client.test' }],
      });
    }
  });

  it('runs once per envelope however often it is started', async () => {
    const deps = createFakeDeps({ digestSigner: sealSigner });
    const { envelope } = await signedEnvelope(deps);
    deps.sentMail.length = 0;
    const workflow = createLocalWorkflow({ getDeps: () => deps, retryIntervalMs: 5 });
    await Promise.all([
      workflow.startFinalization({ envelopeId: envelope.id }),
      workflow.startFinalization({ envelopeId: envelope.id }),
    ]);
    await workflow.idle();
    expect(deps.sentMail).toHaveLength(3);
  });

  it('leaves the envelope failed and tells the sender and the signers when certification fails for good', async () => {
    const failing: DigestSigner = {
      signDigest: async () => {
        throw Object.assign(new Error('key disabled'), { name: 'DisabledException' });
      },
      certificateChain: () => sealSigner.certificateChain(),
    };
    const deps = createFakeDeps({ digestSigner: failing });
    const { envelope, signers } = await signedEnvelope(deps);
    deps.sentMail.length = 0;
    await finalize(deps, envelope.id);
    expect((await getEnvelope(deps.store, envelope.id))?.status).toBe('failed');
    const mails = await deps.parseSentMail();
    // A disabled key is not a temporary error: no automatic retry, and everyone is told so.
    expect(mails.map((m) => m.deliveredTo[0])).toEqual(['alice@sender.test', ...signers.map((s) => s.email)]);
    expect(mails[0]?.subject).toContain('Finalisation impossible');
  });

  it(
    'retries Certify while every time-stamp authority is down, then fails ' + 'visibly with nothing delivered',
    async () => {
      const down = createHttpTimestampAuthority({
        urls: [await unreachableUrl(), await unreachableUrl()],
        timeoutMs: 500,
      });
      let attempts = 0;
      const counted: TimestampAuthority = {
        describe: () => down.describe(),
        timestamp: async (digest) => {
          attempts += 1;
          return down.timestamp(digest);
        },
      };
      const deps = createFakeDeps({ digestSigner: sealSigner, timestampAuthority: counted });
      const { envelope } = await signedEnvelope(deps);
      deps.sentMail.length = 0;
      await finalize(deps, envelope.id);
      // The ASL retries a TransientError on Certify (6 retries) for each of the two documents.
      expect(attempts).toBeGreaterThanOrEqual(7);
      expect((await getEnvelope(deps.store, envelope.id))?.status).toBe('failed');
      const mails = await deps.parseSentMail();
      expect(mails.map((m) => m.deliveredTo[0])).toEqual(['alice@sender.test']);
      expect(mails[0]?.attachments ?? []).toEqual([]);
      expect(mails[0]?.subject).toContain('Finalisation retardée');
    },
  );

  it('completes a failed envelope when an operator retries once the cause is fixed', async () => {
    let keyDisabled = true;
    const flaky: DigestSigner = {
      signDigest: async (digest) => {
        if (keyDisabled) throw Object.assign(new Error('key disabled'), { name: 'DisabledException' });
        return sealSigner.signDigest(digest);
      },
      certificateChain: () => sealSigner.certificateChain(),
    };
    const deps = createFakeDeps({ digestSigner: flaky });
    const workflow = createLocalWorkflow({ getDeps: () => deps, retryIntervalMs: 5 });
    deps.workflow = workflow;
    const { envelope } = await signedEnvelope(deps);
    await workflow.idle();
    expect((await getEnvelope(deps.store, envelope.id))?.status).toBe('failed');
    keyDisabled = false;
    await retryFinalization({ deps, envelopeId: envelope.id });
    await workflow.idle();
    expect((await getEnvelope(deps.store, envelope.id))?.status).toBe('completed');
  });

  describe('the document between Assemble, Certify and Deliver', () => {
    /** Records the keys the documents store is asked for from now on (`passed`: only passed on). */
    function recordReads(deps: FakeDeps, passed: string[] = []): string[] {
      const reads: string[] = [];
      const get = deps.documents.get.bind(deps.documents);
      deps.documents.get = (key) => {
        reads.push(key);
        return get(key);
      };
      const readChunks = deps.documents.readChunks.bind(deps.documents);
      deps.documents.readChunks = (key, onChunk) => {
        passed.push(key);
        return readChunks(key, onChunk);
      };
      return reads;
    }

    /** An assembled document as a run started before Assemble sealed the /ByteRange stored it. */
    async function unsealedUpdate(deps: FakeDeps, envelope: EnvelopeFixture['envelope']) {
      const document = envelope.documents[0]!;
      const original = (await deps.documents.get(document.key)) as Uint8Array;
      const { update } = await prepareDocumentParts({
        original,
        stamps: makeStamps(1),
        audit: makeAudit(),
        signingTime: SIGNING_TIME,
      });
      return { document, original, update };
    }

    it.runIf(tools)(
      'is sealed by Assemble, signed by Certify without reading the document, joined once by Deliver',
      async () => {
        const deps = createFakeDeps({ digestSigner: sealSigner });
        const { envelope } = await signedEnvelope(deps);
        const document = envelope.documents[0]!;
        const original = (await deps.documents.get(document.key)) as Uint8Array;
        const assembled = await assembleEnvelopeDocument({ deps, envelopeId: envelope.id, documentId: document.id });
        const update = (await deps.documents.get(assembled.preparedKey)) as Uint8Array;
        expect(Buffer.from(update).includes(Buffer.from(original.subarray(0, 64)))).toBe(false);
        const reads = recordReads(deps);

        const certified = await certifyEnvelopeDocument({ deps, ...assembled });
        const certifyReads = reads.splice(0);
        const delivery = await deliverEnvelope({ deps, envelopeId: envelope.id, documents: [certified] });

        expect(certifyReads).toEqual([assembled.preparedKey]);
        const pdf = (await deps.documents.get(certified.certifiedKey)) as Uint8Array;
        const sha256 = createHash('sha256').update(pdf).digest('hex');
        expect([pdf.byteLength, delivery.stored]).toEqual([certified.size, [{ documentId: document.id, sha256 }]]);
        expect(await findCertifiedRecord(deps.store, sha256)).toMatchObject({ envelopeId: envelope.id });
        const rootCaPem = await readFile(join(dataDir, 'seal', 'root-cert.pem'), 'utf8');
        await verifyCertifiedPdf({ pdf, original, rootCaPem });
      },
    );

    it.runIf(tools)('is passed through by Deliver to the store and the mails, never held whole', async () => {
      const deps = createFakeDeps({ digestSigner: sealSigner });
      const { envelope } = await signedEnvelope(deps);
      const document = envelope.documents[0]!;
      const assembled = await assembleEnvelopeDocument({ deps, envelopeId: envelope.id, documentId: document.id });
      const certified = await certifyEnvelopeDocument({ deps, ...assembled });
      const passed: string[] = [];
      const kept = recordReads(deps, passed);
      const mailsBefore = deps.sentMail.length;

      await deliverEnvelope({ deps, envelopeId: envelope.id, documents: [certified] });

      expect([passed, kept]).toEqual([[document.key], [certified.joins?.signedUpdateKey]]);
      const mail = await simpleParser(Buffer.from(deps.sentMail[mailsBefore]?.raw ?? []));
      const stored = (await deps.documents.get(certified.certifiedKey)) as Uint8Array;
      expect(Buffer.from(stored).equals(mail.attachments[0]?.content as Buffer)).toBe(true);
    });

    it.runIf(tools)(
      'is still certified when stored whole (a run assembled before updates were stored alone)',
      async () => {
        const deps = createFakeDeps({ digestSigner: sealSigner });
        const { envelope } = await signedEnvelope(deps);
        const { document, original, update } = await unsealedUpdate(deps, envelope);
        const key = preparedKey(envelope.id, document.id);
        await deps.documents.put({ key, body: Buffer.concat([original, update]), contentType: 'application/pdf' });

        const certified = await certifyEnvelopeDocument({
          deps,
          envelopeId: envelope.id,
          documentId: document.id,
          preparedKey: key,
        });

        const pdf = (await deps.documents.get(certified.certifiedKey)) as Uint8Array;
        expect(certified.sha256).toBe(createHash('sha256').update(pdf).digest('hex'));
        const rootCaPem = await readFile(join(dataDir, 'seal', 'root-cert.pem'), 'utf8');
        await verifyCertifiedPdf({ pdf, original, rootCaPem });
      },
    );

    it.runIf(tools)('is still certified as an update without its digest (a run assembled before sealing)', async () => {
      const deps = createFakeDeps({ digestSigner: sealSigner });
      const { envelope } = await signedEnvelope(deps);
      const { document, original, update } = await unsealedUpdate(deps, envelope);
      const key = `envelopes/${envelope.id}/prepared/${document.id}.update`;
      await deps.documents.put({ key, body: update, contentType: 'application/octet-stream' });

      const certified = await certifyEnvelopeDocument({
        deps,
        envelopeId: envelope.id,
        documentId: document.id,
        preparedKey: key,
        appendsTo: { key: document.key, size: original.byteLength },
      });

      const pdf = (await deps.documents.get(certified.certifiedKey)) as Uint8Array;
      const rootCaPem = await readFile(join(dataDir, 'seal', 'root-cert.pem'), 'utf8');
      await verifyCertifiedPdf({ pdf, original, rootCaPem });
    });

    it('is assembled from the original the envelope names, whatever key the step input gives', async () => {
      const deps = createFakeDeps({ digestSigner: sealSigner });
      const { envelope } = await signedEnvelope(deps);
      const document = envelope.documents[0]!;
      const original = (await deps.documents.get(document.key)) as Uint8Array;
      const stray = `envelopes/${envelope.id}/stray.pdf`;
      await deps.documents.put({ key: stray, body: new Uint8Array(10), contentType: 'application/pdf' });

      const assembled = await assembleEnvelopeDocument({
        deps,
        envelopeId: envelope.id,
        documentId: document.id,
        originalKey: stray,
      });

      expect(assembled.appendsTo).toEqual({ key: document.key, size: original.byteLength });
    });

    it('is refused by Certify, under a named error, when the original is not the one Assemble read', async () => {
      const deps = createFakeDeps({ digestSigner: sealSigner });
      const { envelope } = await signedEnvelope(deps);
      const document = envelope.documents[0]!;
      const assembled = await assembleEnvelopeDocument({ deps, envelopeId: envelope.id, documentId: document.id });
      const changed = { ...assembled, appendsTo: { key: document.key, size: (assembled.appendsTo?.size ?? 0) + 1 } };
      await expect(certifyEnvelopeDocument({ deps, ...changed })).rejects.toMatchObject({ name: 'DocumentNotFound' });
    });

    it('is refused by Deliver, under a named error, when the original changed after Assemble read it', async () => {
      const deps = createFakeDeps({ digestSigner: sealSigner });
      const { envelope } = await signedEnvelope(deps);
      const document = envelope.documents[0]!;
      const assembled = await assembleEnvelopeDocument({ deps, envelopeId: envelope.id, documentId: document.id });
      const certified = await certifyEnvelopeDocument({ deps, ...assembled });
      await deps.documents.put({ key: document.key, body: new Uint8Array(3), contentType: 'application/pdf' });
      deps.sentMail.length = 0;

      const delivering = deliverEnvelope({ deps, envelopeId: envelope.id, documents: [certified] });

      await expect(delivering).rejects.toMatchObject({ name: 'DocumentNotFound' });
      expect(deps.sentMail).toHaveLength(0);
      expect(await deps.documents.get(certified.certifiedKey)).toBeUndefined();
      expect((await getEnvelope(deps.store, envelope.id))?.certified).toBeUndefined();
    });
  });
});
