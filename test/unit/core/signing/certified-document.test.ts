// Once an envelope is completed, signers download the certified PDF from the signing page.
import { describe, expect, it } from 'vitest';
import { envelopeKey } from '../../../../lambdas/core/envelopes/envelope-records.ts';
import { getSigningDocument } from '../../../../lambdas/core/signing/get-signing-document.ts';
import { getSigningView } from '../../../../lambdas/core/signing/get-signing-view.ts';
import { createFakeDeps, type FakeDeps } from '../../../support/fake-deps.ts';
import { createEnvelopeFixture } from './envelope-fixture.ts';

async function completedFixture(deps: FakeDeps) {
  const fixture = await createEnvelopeFixture(deps, { signers: 1 });
  const key = `envelopes/${fixture.envelope.id}/certified/doc-1.pdf`;
  await deps.documents.put({ key, body: new TextEncoder().encode('%PDF-certified'), contentType: 'application/pdf' });
  await deps.store.update(envelopeKey(fixture.envelope.id), {
    set: {
      status: 'completed',
      certified: [{ documentId: 'doc-1', name: 'Devis 2026-signe.pdf', key, sha256: 'x', size: 14 }],
    },
  });
  return fixture;
}

describe('certified documents on the signing page', () => {
  it('serves the certified PDF of a completed envelope', async () => {
    const deps = createFakeDeps();
    const { tokens } = await completedFixture(deps);
    const document = await getSigningDocument({ deps, token: tokens[0], documentId: 'doc-1', certified: true });
    expect(document).toMatchObject({ kind: 'bytes', name: 'Devis 2026-signe.pdf' });
    expect(new TextDecoder().decode((document as { bytes: Uint8Array }).bytes)).toBe('%PDF-certified');
  });

  it('lists a certifiedUrl only for documents that were certified', async () => {
    const deps = createFakeDeps();
    const { tokens } = await completedFixture(deps);
    const view = await getSigningView({ deps, token: tokens[0] });
    expect(view.documents.map((d) => d.certifiedUrl)).toEqual(['/api/signing/documents/doc-1/certified', undefined]);
  });

  it('refuses the certified PDF while the envelope is still being signed', async () => {
    const deps = createFakeDeps();
    const { tokens } = await createEnvelopeFixture(deps, { signers: 1 });
    await expect(
      getSigningDocument({ deps, token: tokens[0], documentId: 'doc-1', certified: true }),
    ).rejects.toMatchObject({ code: 'DOCUMENT_NOT_FOUND' });
  });
});
