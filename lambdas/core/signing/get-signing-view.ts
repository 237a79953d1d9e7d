// GET /api/signing: what the signing page shows, for open and closed envelopes alike, and the
// first view by each signer recorded in the audit trail.
import { recordAuditEvent } from '../audit/audit-events.ts';
import type { Deps } from '../deps.ts';
import { ConditionFailedError } from '../errors.ts';
import { listSigners, signerKey } from '../envelopes/envelope-records.ts';
import { loadDocumentPages } from '../envelopes/document-pages.ts';
import { isYourTurn, loadSigningContext, type SigningContext } from './signing-context.ts';
import type { SigningView } from '../api/api-types.ts';

export type { SigningView };

export type GetSigningViewOptions = { deps: Deps; token: string | undefined };

export const signingDocumentUrl = (documentId: string) => `/api/signing/documents/${encodeURIComponent(documentId)}`;
export const certifiedDocumentUrl = (documentId: string) => `${signingDocumentUrl(documentId)}/certified`;

export async function getSigningView({ deps, token }: GetSigningViewOptions): Promise<SigningView> {
  const context = await loadSigningContext({ deps, token });
  const { envelope, signer } = context;
  const signers = await listSigners(deps.store, envelope.id);
  if (envelope.status === 'signing') await recordFirstView(deps, context);
  return {
    envelope: {
      id: envelope.id,
      subject: envelope.subject,
      message: envelope.message,
      sender: { name: envelope.sender.name, email: envelope.sender.email },
      status: envelope.status,
    },
    documents: await Promise.all(
      envelope.documents.map(async (document) => ({
        id: document.id,
        name: document.name,
        pageCount: document.pageCount,
        pages: (await loadDocumentPages(deps.documents, document)).map(({ width, height }) => ({ width, height })),
        url: signingDocumentUrl(document.id),
        ...(envelope.status === 'completed' &&
          envelope.certified?.some((c) => c.documentId === document.id) && {
            certifiedUrl: certifiedDocumentUrl(document.id),
          }),
      })),
    ),
    // Names only: the other signers' addresses were in the original mail, but the page needs none.
    signers: signers.map((other) => ({
      position: other.position,
      name: other.name || other.email,
      status: other.status,
    })),
    you: {
      position: signer.position,
      email: signer.email,
      status: signer.status,
      yourTurn: isYourTurn(context),
      phoneVerified: signer.phoneVerifiedAt !== undefined,
    },
  };
}

/** A conditional write on the signer makes the event unique even when the page loads twice at once. */
async function recordFirstView(deps: Deps, { envelope, signer }: SigningContext): Promise<void> {
  try {
    await deps.store.update(signerKey(envelope.id, signer.position), {
      set: { viewedAt: deps.clock.now().toISOString() },
      expectMissing: ['viewedAt'],
    });
  } catch (error) {
    if (error instanceof ConditionFailedError) return;
    throw error;
  }
  await recordAuditEvent({
    ...deps,
    event: {
      type: 'document.viewed',
      envelopeId: envelope.id,
      position: signer.position,
      data: { documents: envelope.documents.map((d) => d.id) },
    },
  });
}
