// prepareDocumentParts + certifyPreparedParts: the same certified file as prepareDocument +
// certifyDocumentWithDigest, with the original never copied nor changed.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyFileSigner } from '../../../../lambdas/adapters/local/key-file-signer.ts';
import {
  certifyDocumentWithDigest,
  certifyPreparedParts,
  prepareDocument,
  prepareDocumentParts,
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
