// *VERIFY by mail through intake: a real seal (key files), a real time-stamp token (the local TSA
// service, in process), and the reply read back as a mail. One reply per mail, to its sender only.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyFileSigner } from '../../lambdas/adapters/local/key-file-signer.ts';
import { createLocalTimestampService } from '../../lambdas/adapters/local/local-timestamp-service.ts';
import { systemClock } from '../../lambdas/adapters/node/system-clock-and-random.ts';
import { receiveSignRequest } from '../../lambdas/core/intake/receive-sign-request.ts';
import { certifyDocument, prepareDocument } from '../../lambdas/core/pdf/index.ts';
import { createTimestampRequest, readTimestampResponse } from '../../lambdas/core/pdf/timestamp-token.ts';
import type { DigestSigner, TimestampAuthority } from '../../lambdas/core/ports.ts';
import { putCertifiedRecord, recordSealCertificate } from '../../lambdas/core/verify/certified-index.ts';
import { createFakeDeps, type FakeDeps } from '../support/fake-deps.ts';
import { buildSignRequestMail } from '../support/mail-fixtures.ts';
import { makeAudit, makePdf, makeStamps, SIGNING_TIME } from '../unit/core/pdf/pdf-test-fixtures.ts';

/** The text with French typography's narrow no-break spaces as plain spaces, to compare words. */
const words = (text: string | undefined) => (text ?? '').replaceAll('\u202f', ' ');

const PASS = { dmarc: 'PASS', spf: 'PASS', dkim: 'PASS', spam: 'PASS', virus: 'PASS' };
const dirs: string[] = [];
let seal: DigestSigner;
let otherSeal: DigestSigner;
let tsa: TimestampAuthority;
let certified: Uint8Array;
let certifiedSha256: string;

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mailsign-verify-mail-'));
  dirs.push(dir);
  return dir;
}

async function certify(signer: DigestSigner, timestampAuthority?: TimestampAuthority): Promise<Uint8Array> {
  const prepared = await prepareDocument({
    original: await makePdf({ pages: 1 }),
    stamps: makeStamps(2, 1),
    audit: makeAudit({ signers: 2 }),
    signingTime: SIGNING_TIME,
    signerName: 'mailsign',
    reason: 'Certifié par mailsign / Certified by mailsign',
    location: 'mailsign',
  });
  return certifyDocument({ prepared, signer, timestampAuthority });
}

beforeAll(async () => {
  const dataDir = tempDir();
  const crlUrl = 'http://127.0.0.1:9/pki/root.crl';
  seal = await createKeyFileSigner({ dataDir, crlUrl });
  otherSeal = await createKeyFileSigner({ dataDir: tempDir() });
  const service = createLocalTimestampService({ dataDir, crlUrl, clock: systemClock });
  tsa = {
    describe: () => 'local',
    async timestamp(digest) {
      const nonce = new Uint8Array([7, 7, 7, 7]);
      const response = await service.respond(createTimestampRequest({ digest, nonce }));
      return readTimestampResponse({ response, digest, nonce });
    },
  };
  certified = await certify(seal, tsa);
  certifiedSha256 = createHash('sha256').update(certified).digest('hex');
});
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function verifyByMail(deps: FakeDeps, files: Array<{ name: string; content: Uint8Array }>, verdicts = PASS) {
  const raw = await buildSignRequestMail({
    from: 'Inès Garnier <ines@ailleurs.example>',
    to: ['sign@mailsign.test'],
    cc: ['Jeanne Martin <jeanne.martin@client.fr>'],
    subject: 'Vérifier *VERIFY ces contrats',
    attachments: files.map((f) => ({ filename: f.name, content: f.content, contentType: 'application/pdf' })),
  });
  await deps.rawMail.put({ key: 'verify-1', body: raw, contentType: 'message/rfc822' });
  const outcome = await receiveSignRequest({
    deps,
    messageId: 'verify-1',
    verdicts,
    envelopeSender: 'ines@ailleurs.example',
  });
  return { outcome, mails: await deps.parseSentMail() };
}

async function depsWithRecord(): Promise<FakeDeps> {
  const deps = createFakeDeps({
    digestSigner: seal,
    settings: { ...createFakeDeps().settings, customerDomains: ['agence-dubois.fr'] },
  });
  const [sealCertificate] = await seal.certificateChain();
  await recordSealCertificate({ store: deps.store, certificate: sealCertificate!, at: SIGNING_TIME });
  await putCertifiedRecord(deps.store, {
    sha256: certifiedSha256,
    envelopeId: 'env-42',
    documentId: 'd1',
    documentName: 'contrat.pdf',
    subject: 'Contrat de prestation',
    originalSha256: 'a'.repeat(64),
    certifiedAt: '2026-11-27T14:03:00.000Z',
    signers: [
      { name: 'Jeanne Martin', email: 'jeanne.martin@client.fr', signedAt: '2026-11-27T10:00:00.000Z' },
      { name: 'Paul Leroy', email: 'paul@client.fr', signedAt: '2026-11-27T11:30:00.000Z' },
    ],
  });
  return deps;
}

describe('*VERIFY by mail', () => {
  it('answers anyone authenticated, without an account, once, and tells nobody else', async () => {
    const deps = await depsWithRecord();
    const { outcome, mails } = await verifyByMail(deps, [{ name: 'contrat-signe.pdf', content: certified }]);
    expect(outcome).toEqual({ status: 'answered', command: 'verify' });
    expect(mails).toHaveLength(1);
    expect(mails[0]?.deliveredTo).toEqual(['ines@ailleurs.example']);
  });

  it('reports a certified, unchanged file with the envelope, signers, original hash and time-stamp time', async () => {
    const deps = await depsWithRecord();
    const { mails } = await verifyByMail(deps, [{ name: 'contrat-signe.pdf', content: certified }]);
    const text = words(mails[0]?.text);
    expect(text).toContain('« contrat-signe.pdf » : certifié par ce service et inchangé depuis.');
    expect(text).toContain('env-42');
    expect(text).toMatch(/Signataire 1 : Jeanne Martin <jeanne.martin@client.fr>, signé le 27 novembre 2026/);
    expect(text).toContain('a'.repeat(64));
    expect(text).toMatch(/Horodatage qualifiant le scellement : \d+ \w+ 20\d\d/);
    expect(text).toContain('certified by this service and unchanged since.');
  });

  it('reports one changed byte in the signed ranges as altered', async () => {
    const changed = new Uint8Array(certified);
    changed[200] = changed[200]! ^ 0x01;
    const { mails } = await verifyByMail(await depsWithRecord(), [{ name: 'contrat-signe.pdf', content: changed }]);
    expect(words(mails[0]?.text)).toContain('des octets signés ont été modifiés');
    expect(words(mails[0]?.text)).not.toContain('env-42');
  });

  it('reports bytes appended after the certification, with the envelope', async () => {
    const appended = new Uint8Array([...certified, ...new TextEncoder().encode('\n% appended\n')]);
    const { mails } = await verifyByMail(await depsWithRecord(), [{ name: 'contrat-signe.pdf', content: appended }]);
    expect(words(mails[0]?.text)).toContain('12 octets ont été ajoutés');
    expect(words(mails[0]?.text)).toContain('env-42');
  });

  it('reports a file certified by someone else as not certified, carrying another signature', async () => {
    const foreign = await certify(otherSeal);
    const plain = await makePdf({ pages: 1 });
    const { mails } = await verifyByMail(await depsWithRecord(), [
      { name: 'autre.pdf', content: foreign },
      { name: 'simple.pdf', content: plain },
    ]);
    expect(words(mails[0]?.text)).toContain(
      '« autre.pdf » : non certifié par ce service. Il porte 1 autre(s) signature(s)',
    );
    expect(words(mails[0]?.text)).toContain('« simple.pdf » : non certifié par ce service (aucune signature).');
  });

  it('sends nothing when the sender is not authenticated (no backscatter)', async () => {
    const deps = await depsWithRecord();
    const { outcome, mails } = await verifyByMail(deps, [{ name: 'c.pdf', content: certified }], {
      ...PASS,
      dmarc: 'FAIL',
      spf: 'FAIL',
    });
    expect(outcome.status).toBe('ignored');
    expect(mails).toEqual([]);
  });

  it('says so when no PDF is attached', async () => {
    const { mails } = await verifyByMail(await depsWithRecord(), []);
    expect(words(mails[0]?.text)).toContain('Aucun PDF n’était joint');
  });
});
