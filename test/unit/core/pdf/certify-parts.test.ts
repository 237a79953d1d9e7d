// prepareDocumentParts + certifyPreparedParts: the same certified file as prepareDocument +
// certifyDocumentWithDigest, with the original never copied nor changed. And the two phases apart
// (sealByteRange where the document is, fillSignature from the digest alone): the same file again.
import { SignPdf } from '@signpdf/signpdf';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyFileSigner } from '../../../../lambdas/adapters/local/key-file-signer.ts';
import {
  certifyDocumentWithDigest,
  certifyPreparedParts,
  DigestCmsSigner,
  fillSignature,
  findSealedContents,
  prepareDocument,
  prepareDocumentParts,
  sealByteRange,
} from '../../../../lambdas/core/pdf/index.ts';
import type { DigestSigner } from '../../../../lambdas/core/ports.ts';
import { verifyCertifiedPdf } from '../../../support/pdf-verifiers.ts';
import { requireTool } from '../../../support/require-tool.ts';
import { makeAudit, makePdf, makeStamps, SIGNING_TIME } from './pdf-test-fixtures.ts';

const toolsPresent = requireTool('pdfsig', 'mutool', 'qpdf', 'openssl');
let dataDir: string;
let signer: DigestSigner;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'mailsign-parts-'));
  signer = await createKeyFileSigner({ dataDir });
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const options = (original: Uint8Array) => ({
  original,
  stamps: makeStamps(2),
  audit: makeAudit(),
  signingTime: SIGNING_TIME,
});

describe('certifyPreparedParts', () => {
  it('gives, byte for byte, the file certifyDocumentWithDigest gives, and leaves the original untouched', async () => {
    const original = await makePdf({ pages: 2 });
    const before = Buffer.from(original);
    const joined = await certifyDocumentWithDigest({ prepared: await prepareDocument(options(original)), signer });

    const prepared = await prepareDocumentParts(options(original));
    const certified = await certifyPreparedParts({ ...prepared, signer });

    expect(certified.parts[0]).toBe(original);
    expect(Buffer.from(original).equals(before)).toBe(true);
    const file = Buffer.concat(certified.parts);
    expect(file.equals(Buffer.from(joined.certified))).toBe(true);
    expect(certified.size).toBe(file.length);
    expect(certified.sha256).toBe(createHash('sha256').update(file).digest('hex'));
    expect(joined.sha256).toBe(certified.sha256);
  });

  it.runIf(toolsPresent)('passes every verifier', async () => {
    const original = await makePdf({ pages: 1 });
    const prepared = await prepareDocumentParts(options(original));
    const certified = await certifyPreparedParts({ ...prepared, signer });
    await verifyCertifiedPdf({
      pdf: Buffer.concat(certified.parts),
      original,
      rootCaPem: readFileSync(join(dataDir, 'seal', 'root-cert.pem'), 'utf8'),
    });
  });
});

/** The bytes a filled /ByteRange [0 a b c] covers in `file`. */
function coveredBytes(file: Buffer): Buffer {
  const match = /\/ByteRange \[0 (\d+) (\d+) (\d+)\]/.exec(file.toString('latin1', file.lastIndexOf('/ByteRange [0 ')));
  const [a, b, c] = [Number(match?.[1]), Number(match?.[2]), Number(match?.[3])];
  return Buffer.concat([file.subarray(0, a), file.subarray(b, b + c)]);
}

describe('sealByteRange then fillSignature', () => {
  it('digests exactly the bytes the sealed /ByteRange covers', async () => {
    const original = await makePdf({ pages: 2 });
    const prepared = await prepareDocumentParts(options(original));

    const sealed = await sealByteRange({ head: [original], tail: prepared.update });

    const file = Buffer.concat([original, sealed.tail]);
    const digest = createHash('sha256').update(coveredBytes(file)).digest();
    expect(Buffer.from(sealed.contentDigest).equals(digest)).toBe(true);
  });

  it('gives, from the digest and the sealed update alone, the file @signpdf signs whole', async () => {
    const original = await makePdf({ pages: 2 });
    const whole = Buffer.from(await prepareDocument(options(original)));
    const bySignPdf = await new SignPdf().sign(whole, new DigestCmsSigner(signer));

    const prepared = await prepareDocumentParts(options(original));
    const sealed = await sealByteRange({ head: [original], tail: prepared.update });
    const tail = new Uint8Array(sealed.tail); // as another process reads it back from the store
    const filled = await fillSignature({
      tail,
      offset: original.length,
      contentDigest: sealed.contentDigest,
      signer,
    });

    expect(Buffer.concat([original, filled]).equals(bySignPdf)).toBe(true);
  });

  it('refuses a sealed update put after an original of another size', async () => {
    const original = await makePdf({ pages: 1 });
    const prepared = await prepareDocumentParts(options(original));
    const sealed = await sealByteRange({ head: [original], tail: prepared.update });

    expect(findSealedContents(sealed.tail, original.length + 1)).toBeUndefined();
    await expect(
      fillSignature({ tail: sealed.tail, offset: original.length + 1, contentDigest: sealed.contentDigest, signer }),
    ).rejects.toMatchObject({ code: 'FINALIZE_FAILED' });
  });

  it.runIf(toolsPresent)('passes every verifier', async () => {
    const original = await makePdf({ pages: 1 });
    const prepared = await prepareDocumentParts(options(original));
    const sealed = await sealByteRange({ head: [original], tail: prepared.update });
    const filled = await fillSignature({
      tail: new Uint8Array(sealed.tail),
      offset: original.length,
      contentDigest: sealed.contentDigest,
      signer,
    });
    await verifyCertifiedPdf({
      pdf: Buffer.concat([original, filled]),
      original,
      rootCaPem: readFileSync(join(dataDir, 'seal', 'root-cert.pem'), 'utf8'),
    });
  });
});
