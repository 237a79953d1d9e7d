// "Is this PDF already signed?" has one answer (signature-presence.ts), for intake and finalization:
// empty fields and usage rights (UR3) are not signatures; approval and certification signatures
// are, including one of our own certified files.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { createKeyFileSigner } from '../../../../lambdas/adapters/local/key-file-signer.ts';
import { certifyDocument, prepareDocument } from '../../../../lambdas/core/pdf/index.ts';
import { inspectPdf } from '../../../../lambdas/core/pdf/inspect-pdf.ts';
import { findExistingSignature } from '../../../../lambdas/core/pdf/signature-presence.ts';
import { malformedCorpus } from '../../../support/malformed-pdfs.ts';
import { CORPUS } from '../../../support/fixtures.ts';
import { makeAudit, makeStamps, SIGNING_TIME } from './pdf-test-fixtures.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';

const generated = new Map(malformedCorpus(1).map((c) => [c.name, c]));
const load = (bytes: Uint8Array) => PDFDocument.load(bytes, { ignoreEncryption: true, updateMetadata: false });

describe('findExistingSignature', () => {
  it.each([
    ['signatures/empty-field', undefined],
    ['signatures/usage-rights', undefined],
    ['signatures/value-not-a-signature', undefined],
    ['signatures/approval', 'approval'],
    ['signatures/approval-inherited-type', 'approval'],
    ['signatures/certification', 'certification'],
  ])('%s: %s', async (name, expected) => {
    const doc = await load(generated.get(name)!.build());
    expect(findExistingSignature({ doc })).toBe(expected);
  });

  it.each(['with_empty_signature_field.pdf', 'sample_form.pdf', 'fancy_fields.pdf'])(
    'corpus %s carries no signature',
    async (file) => {
      const doc = await load(readFileSync(join(CORPUS, file)));
      expect(findExistingSignature({ doc })).toBeUndefined();
    },
  );

  it('a file certified by this service is certified, and intake refuses it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'mailsign-signed-'));
    try {
      const signer = await createKeyFileSigner({ dataDir });
      const original = readFileSync(join(CORPUS, 'normal.pdf'));
      const prepared = await prepareDocument({
        original,
        stamps: makeStamps(1),
        audit: makeAudit(),
        signingTime: SIGNING_TIME,
      });
      const certified = await certifyDocument({ prepared, signer });
      expect(findExistingSignature({ doc: await load(certified) })).toBe('certification');
      await expect(inspectPdf({ bytes: certified, fileName: 'signed.pdf' })).rejects.toMatchObject({
        code: 'PDF_ALREADY_SIGNED',
      });
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
