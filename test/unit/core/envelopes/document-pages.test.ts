// Nothing stored grows with the document: a long PDF is accepted, its envelope item stays small
// (page geometry in the documents store), and GET /api/signing still lists every page. (2,000
// pages here keeps the test short; the item's size no longer depends on the count at all.)
import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { INLINE_PAGES, loadDocumentPages } from '../../../../lambdas/core/envelopes/document-pages.ts';
import { envelopeKey, getEnvelope } from '../../../../lambdas/core/envelopes/envelope-records.ts';
import { receiveSignRequest } from '../../../../lambdas/core/intake/receive-sign-request.ts';
import { getSigningView } from '../../../../lambdas/core/signing/get-signing-view.ts';
import { issueToken } from '../../../../lambdas/core/tokens/link-tokens.ts';
import { createFakeDeps } from '../../../support/fake-deps.ts';
import { buildSignRequestMail, makePdf } from '../../../support/mail-fixtures.ts';

const PASS = { dmarc: 'PASS', spf: 'PASS', dkim: 'PASS', spam: 'PASS', virus: 'PASS' };

async function blankPdf(pages: number): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  for (let i = 0; i < pages; i += 1) doc.addPage(i % 2 ? [612, 792] : [595, 842]);
  return doc.save({ useObjectStreams: true });
}

async function deliver(pdf: Uint8Array) {
  const deps = createFakeDeps();
  const raw = await buildSignRequestMail({
    to: ['jeanne@client.fr'],
    subject: '*SIGN Catalogue',
    text: 'Bonjour',
    attachments: [{ filename: 'c.pdf', content: pdf, contentType: 'application/pdf' }],
  });
  await deps.rawMail.put({ key: 'm', body: raw, contentType: 'message/rfc822' });
  const outcome = await receiveSignRequest({ deps, messageId: 'm', verdicts: PASS });
  const envelopeId = (outcome as { envelopeId: string }).envelopeId;
  return { deps, outcome, envelopeId };
}

describe('page geometry storage', () => {
  it('keeps a short document inline', async () => {
    const { deps, envelopeId } = await deliver(await makePdf({ pages: 3 }));
    const document = (await getEnvelope(deps.store, envelopeId))?.documents[0];
    expect(document?.pages).toHaveLength(3);
    expect(document?.pagesKey).toBeUndefined();
  });

  it('stores the geometry of a 2,000-page PDF beside it; the envelope item stays small', async () => {
    const { deps, outcome, envelopeId } = await deliver(await blankPdf(2_000));
    expect(outcome.status).toBe('accepted');
    const item = await deps.store.get(envelopeKey(envelopeId));
    expect(JSON.stringify(item).length).toBeLessThan(8 * 1024);
    const document = (await getEnvelope(deps.store, envelopeId))?.documents[0];
    expect(document).toMatchObject({ pageCount: 2_000, pagesKey: expect.stringMatching(/\.pages\.json$/) });
    expect(document?.pages).toBeUndefined();
    const pages = document ? await loadDocumentPages(deps.documents, document) : [];
    expect(pages).toHaveLength(2_000);
    expect(pages.slice(0, 2)).toEqual([
      { width: 595, height: 842 },
      { width: 612, height: 792 },
    ]);

    const { token } = await issueToken({ ...deps, kind: 'signing', ttlSeconds: 3600, envelopeId, position: 1 });
    const view = await getSigningView({ deps, token });
    expect(view.documents[0]?.pages).toHaveLength(2_000);
    expect(view.documents[0]?.pages[1]).toEqual({ width: 612, height: 792 });
  }, 60_000);

  it(`inlines up to ${INLINE_PAGES} pages and no more`, async () => {
    const { deps, envelopeId } = await deliver(await blankPdf(INLINE_PAGES + 1));
    expect((await getEnvelope(deps.store, envelopeId))?.documents[0]?.pages).toBeUndefined();
  });
});
