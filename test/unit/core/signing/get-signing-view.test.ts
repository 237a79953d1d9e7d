// The signing view and document download: shape, turn, closed states, expiry, first-view audit.
import { beforeEach, describe, expect, it } from 'vitest';
import { listAuditEvents } from '../../../../lambdas/core/audit/audit-events.ts';
import { getEnvelope } from '../../../../lambdas/core/envelopes/envelope-records.ts';
import { getSigningDocument } from '../../../../lambdas/core/signing/get-signing-document.ts';
import { getSigningView } from '../../../../lambdas/core/signing/get-signing-view.ts';
import { createFakeDeps, type FakeDeps } from '../../../support/fake-deps.ts';
import { createEnvelopeFixture, type EnvelopeFixture } from './envelope-fixture.ts';

let deps: FakeDeps;
let fixture: EnvelopeFixture;

beforeEach(async () => {
  deps = createFakeDeps();
  fixture = await createEnvelopeFixture(deps);
});

describe('getSigningView', () => {
  it('describes the envelope, documents, signers and the reader', async () => {
    const view = await getSigningView({ deps, token: fixture.tokens[0] });
    expect(view).toEqual({
      envelope: {
        id: fixture.envelope.id,
        subject: 'Devis rénovation',
        message: 'Bonjour, merci de signer le devis.',
        sender: { name: 'Alice Martin', email: 'alice@sender.test' },
        status: 'signing',
      },
      documents: [
        {
          id: 'doc-1',
          name: 'Devis 2026.pdf',
          pageCount: 2,
          pages: [
            { width: 595.28, height: 841.89 },
            { width: 595.28, height: 841.89 },
          ],
          url: '/api/signing/documents/doc-1',
        },
        {
          id: 'doc-2',
          name: 'Conditions générales.pdf',
          pageCount: 1,
          pages: [{ width: 612, height: 792 }],
          url: '/api/signing/documents/doc-2',
        },
      ],
      signers: [
        { position: 1, name: 'Signer 1', status: 'pending' },
        { position: 2, name: 'Signer 2', status: 'pending' },
      ],
      you: { position: 1, email: 'signer1@client.test', status: 'pending', yourTurn: true, phoneVerified: false },
    });
  });

  it('tells a later signer it is not their turn yet', async () => {
    const view = await getSigningView({ deps, token: fixture.tokens[1] });
    expect(view.you).toMatchObject({ position: 2, yourTurn: false });
  });

  it('answers for a declined envelope with its status', async () => {
    await deps.store.update({ pk: `ENV#${fixture.envelope.id}`, sk: 'META' }, { set: { status: 'declined' } });
    const view = await getSigningView({ deps, token: fixture.tokens[0] });
    expect([view.envelope.status, view.you.yourTurn]).toEqual(['declined', false]);
  });

  it('shows an envelope past its date as expired and marks it so', async () => {
    await deps.store.update(
      { pk: `ENV#${fixture.envelope.id}`, sk: 'META' },
      { set: { expiresAt: deps.clock.now().toISOString() } },
    );
    const view = await getSigningView({ deps, token: fixture.tokens[0] });
    expect([view.envelope.status, (await getEnvelope(deps.store, fixture.envelope.id))?.status]).toEqual([
      'expired',
      'expired',
    ]);
  });

  it('audits the expiry once', async () => {
    await deps.store.update(
      { pk: `ENV#${fixture.envelope.id}`, sk: 'META' },
      { set: { expiresAt: deps.clock.now().toISOString() } },
    );
    await Promise.all([
      getSigningView({ deps, token: fixture.tokens[0] }),
      getSigningView({ deps, token: fixture.tokens[1] }),
    ]);
    const events = await listAuditEvents({ store: deps.store, envelopeId: fixture.envelope.id });
    expect(events.filter((event) => event.type === 'envelope.expired')).toHaveLength(1);
  });

  it('records document.viewed once per signer', async () => {
    await getSigningView({ deps, token: fixture.tokens[0] });
    await getSigningView({ deps, token: fixture.tokens[0] });
    await getSigningView({ deps, token: fixture.tokens[1] });
    const events = await listAuditEvents({ store: deps.store, envelopeId: fixture.envelope.id });
    expect(
      events
        .filter((event) => event.type === 'document.viewed')
        .map((event) => event.position)
        .sort(),
    ).toEqual([1, 2]);
  });

  it('refuses an unknown token with TOKEN_INVALID', async () => {
    await expect(getSigningView({ deps, token: 'A'.repeat(32) })).rejects.toMatchObject({ code: 'TOKEN_INVALID' });
  });

  it('refuses a missing token with TOKEN_INVALID', async () => {
    await expect(getSigningView({ deps, token: undefined })).rejects.toMatchObject({ code: 'TOKEN_INVALID' });
  });

  it(`refuses a link older than the link lifetime with LINK_EXPIRED`, async () => {
    deps.advance(deps.settings.linkTtlDays * 86_400_000);
    await expect(getSigningView({ deps, token: fixture.tokens[0] })).rejects.toMatchObject({ code: 'LINK_EXPIRED' });
  });
});

describe('getSigningDocument', () => {
  it('gives the original PDF bytes', async () => {
    const document = await getSigningDocument({ deps, token: fixture.tokens[1], documentId: 'doc-2' });
    const original = await deps.documents.get(fixture.envelope.documents[1]?.key ?? '');
    expect(document).toEqual({
      kind: 'bytes',
      name: 'Conditions générales.pdf',
      contentType: 'application/pdf',
      bytes: original,
    });
  });

  it('refuses a document of another envelope with DOCUMENT_NOT_FOUND', async () => {
    await expect(getSigningDocument({ deps, token: fixture.tokens[0], documentId: 'doc-3' })).rejects.toMatchObject({
      code: 'DOCUMENT_NOT_FOUND',
    });
  });

  it('redirects to a short-lived URL for a large document when the store offers one', async () => {
    await deps.store.update(
      { pk: `ENV#${fixture.envelope.id}`, sk: 'META' },
      {
        set: { documents: fixture.envelope.documents.map((d) => ({ ...d, size: 5 * 1024 * 1024 })) },
      },
    );
    deps.documents.createDownloadUrl = async ({ key }) => `https://blobs.test/${key}?sig=1`;
    const document = await getSigningDocument({ deps, token: fixture.tokens[0], documentId: 'doc-1' });
    expect(document).toEqual({
      kind: 'redirect',
      name: 'Devis 2026.pdf',
      url: `https://blobs.test/${fixture.envelope.documents[0]?.key}?sig=1`,
    });
  });
});
