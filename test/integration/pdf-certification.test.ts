// Every real-world corpus file, and pdf-lib-made ones, go through prepare + certify and must pass
// every independent verifier; encrypted files are refused; one changed byte breaks verification.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyFileSigner } from '../../lambdas/adapters/local/key-file-signer.ts';
import { isDomainError } from '../../lambdas/core/errors.ts';
import { certifyDocument, prepareDocument } from '../../lambdas/core/pdf/index.ts';
import type { DigestSigner } from '../../lambdas/core/ports.ts';
import { checkMutool, checkOpensslCms, checkPdfsig, verifyCertifiedPdf } from '../support/pdf-verifiers.ts';
import { requireTool } from '../support/require-tool.ts';
import { makeAudit, makePdf, makeStamps, SIGNING_TIME } from '../unit/core/pdf/pdf-test-fixtures.ts';
import { CORPUS } from '../support/fixtures.ts';
import { makeSignaturePng } from '../support/png.ts';

const toolsPresent = requireTool('pdfsig', 'mutool', 'qpdf', 'openssl');
const listPdfs = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.pdf'))
    .sort()
    .map((f) => join(dir, f));

let dataDir: string;
let signer: DigestSigner;
let rootCaPem: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'mailsign-pdf-cert-'));
  signer = await createKeyFileSigner({ dataDir });
  rootCaPem = readFileSync(join(dataDir, 'seal', 'root-cert.pem'), 'utf8');
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function finalize(original: Uint8Array, signers: number, pages = 1, documentName = 'document.pdf') {
  const prepared = await prepareDocument({
    original,
    stamps: makeStamps(signers, pages),
    audit: makeAudit({ signers, documentName }),
    signingTime: SIGNING_TIME,
    signerName: 'mailsign',
    reason: 'Certifié par mailsign / Certified by mailsign',
    location: 'mailsign',
  });
  return certifyDocument({ prepared, signer });
}

describe.skipIf(!toolsPresent)('certified corpus files pass every verifier', () => {
  it.each(
    [...listPdfs(CORPUS), ...listPdfs(join(CORPUS, 'pdf20'))].map((file) => [file.slice(CORPUS.length + 1), file]),
  )('%s', async (_name, file) => {
    const original = readFileSync(file);
    const pdf = await finalize(original, 3);
    await verifyCertifiedPdf({ pdf, original, rootCaPem });
  });
});

describe('refused corpus files', () => {
  it.each(listPdfs(join(CORPUS, 'refuse')).map((file) => [file.slice(CORPUS.length + 1), file]))(
    '%s',
    async (_name, file) => {
      const error = await finalize(readFileSync(file), 1).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isDomainError(error, 'PDF_ENCRYPTED'), String(error)).toBe(true);
    },
  );
});

describe.skipIf(!toolsPresent)('pdf-lib-made documents', () => {
  it.each([
    [1, 1, false],
    [1, 3, true],
    [3, 1, true],
    [3, 3, false],
  ])('%i page(s), %i signer(s), object streams %s', async (pages, signers, useObjectStreams) => {
    const original = await makePdf({ pages, useObjectStreams });
    const pdf = await finalize(original, signers, pages);
    await verifyCertifiedPdf({ pdf, original, rootCaPem });
  });

  it('signature images with transparency, as a signature pad exports them', async () => {
    const original = await makePdf({ pages: 1 });
    const prepared = await prepareDocument({
      original,
      stamps: makeStamps(2).map((stamp) => ({ ...stamp, image: makeSignaturePng({ width: 300, height: 100 }) })),
      audit: makeAudit({ signers: 2 }),
      signingTime: SIGNING_TIME,
    });
    await verifyCertifiedPdf({ pdf: await certifyDocument({ prepared, signer }), original, rootCaPem });
  });

  it('rotated and cropped pages', async () => {
    const original = await makePdf({ pages: 1, rotate: 90, cropBox: [50, 80, 400, 500] });
    await verifyCertifiedPdf({ pdf: await finalize(original, 2), original, rootCaPem });
  });
});

describe.skipIf(!toolsPresent)('one changed byte makes the verifiers fail', () => {
  let original: Uint8Array;
  let pdf: Uint8Array;
  beforeAll(async () => {
    original = readFileSync(join(CORPUS, 'us_constitution.pdf'));
    pdf = await finalize(original, 1);
    await verifyCertifiedPdf({ pdf, original, rootCaPem });
  });

  function flip(at: number): Uint8Array {
    const copy = new Uint8Array(pdf);
    copy[at] = copy[at] === 0x41 ? 0x42 : 0x41;
    return copy;
  }

  it('in the original revision', async () => {
    const tampered = flip(Math.floor(original.length / 2));
    await expect(verifyCertifiedPdf({ pdf: tampered, original, rootCaPem })).rejects.toThrow();
    expect(() => checkPdfsig(tampered)).toThrow(/pdfsig/);
    expect(() => checkMutool(tampered)).toThrow(/mutool/);
    expect(() => checkOpensslCms(tampered, rootCaPem)).toThrow(/openssl/);
  });

  it('in the update (signature time)', async () => {
    const at = Buffer.from(pdf).lastIndexOf('/M (D:2026') + 6;
    const tampered = flip(at);
    await expect(verifyCertifiedPdf({ pdf: tampered, original, rootCaPem })).rejects.toThrow();
    expect(() => checkPdfsig(tampered)).toThrow(/pdfsig/);
    expect(() => checkMutool(tampered)).toThrow(/mutool/);
    expect(() => checkOpensslCms(tampered, rootCaPem)).toThrow(/openssl/);
  });
});
