// What the customer area reads with a session: the account with its envelopes (newest first),
// the ledger, and the certified PDFs, which only the envelope's sender may download.
import { freeSignaturesLeft } from '../billing/billing-rule.ts';
import { countRecentSignatures } from '../billing/signature-records.ts';
import type { Deps } from '../deps.ts';
import { getEnvelope, listSigners, type EnvelopeStatus, type SignerStatus } from '../envelopes/envelope-records.ts';
import { DomainError } from '../errors.ts';
import { INLINE_DOCUMENT_LIMIT, type SigningDocument } from '../signing/get-signing-document.ts';
import { getAccount, listLedger, type AccountStatus, type LedgerEntry } from './account-records.ts';
import { resolveAccountSession } from './account-login.ts';
import { effectiveStatus, isEnvelopeOpen, listSenderEnvelopeIds } from '../sender-controls/sender-envelopes.ts';

export type AccountEnvelopeView = {
  id: string;
  subject: string;
  status: EnvelopeStatus;
  createdAt: string;
  completedAt?: string;
  expiresAt: string;
  /** Why a signer refused, shown to the sender with the declined request. */
  declineReason?: string;
  /** Position of the signer whose turn it is, while the envelope is open. */
  yourTurn?: number;
  signers: Array<{ position: number; name: string; status: SignerStatus; signedAt?: string }>;
  documents: Array<{ id: string; name: string; url: string }>;
};

export type AccountView = {
  email: string;
  status: AccountStatus;
  balanceCents: number;
  signaturesLast30Days: number;
  freeSignaturesLeft: number;
  envelopes: AccountEnvelopeView[];
};

type SessionOptions = { deps: Deps; token: string | undefined };

export const accountDocumentUrl = (envelopeId: string, documentId: string) =>
  `/api/account/envelopes/${encodeURIComponent(envelopeId)}/documents/${encodeURIComponent(documentId)}`;

async function loadAccount(options: SessionOptions) {
  const email = await resolveAccountSession(options);
  const account = await getAccount(options.deps.store, email);
  if (!account) throw new DomainError({ code: 'TOKEN_INVALID', message: 'This account no longer exists.' });
  return account;
}

export async function getAccountView(options: SessionOptions): Promise<AccountView> {
  const { deps } = options;
  const account = await loadAccount(options);
  const ids = await listSenderEnvelopeIds({ deps, email: account.email });
  const now = deps.clock.now();
  const envelopes = await Promise.all(
    ids.map(async (envelopeId): Promise<AccountEnvelopeView | undefined> => {
      const envelope = await getEnvelope(deps.store, envelopeId);
      if (!envelope) return undefined;
      const signers = await listSigners(deps.store, envelope.id);
      const certified =
        envelope.status === 'completed' && !('documentsDeletedAt' in envelope) ? (envelope.certified ?? []) : [];
      return {
        id: envelope.id,
        subject: envelope.subject,
        status: effectiveStatus(envelope, now),
        createdAt: envelope.createdAt,
        ...(envelope.completedAt !== undefined && { completedAt: envelope.completedAt }),
        expiresAt: envelope.expiresAt,
        ...(envelope.status === 'declined' &&
          envelope.declineReason !== undefined && { declineReason: envelope.declineReason }),
        ...(isEnvelopeOpen(envelope, now) && { yourTurn: envelope.currentPosition }),
        signers: signers.map((s) => ({
          position: s.position,
          name: s.name,
          status: s.status,
          ...(s.signedAt !== undefined && { signedAt: s.signedAt }),
        })),
        documents: certified.map((c) => ({
          id: c.documentId,
          name: c.name,
          url: accountDocumentUrl(envelope.id, c.documentId),
        })),
      };
    }),
  );
  const signaturesInWindow = await countRecentSignatures({
    store: deps.store,
    email: account.email,
    now: deps.clock.now(),
  });
  return {
    email: account.email,
    status: account.status,
    balanceCents: account.balanceCents,
    signaturesLast30Days: signaturesInWindow,
    freeSignaturesLeft: freeSignaturesLeft({ signaturesInWindow }),
    envelopes: envelopes.filter((e): e is AccountEnvelopeView => e !== undefined),
  };
}

export async function getAccountLedger(options: SessionOptions): Promise<{ entries: LedgerEntry[] }> {
  const account = await loadAccount(options);
  return { entries: await listLedger(options.deps.store, account.email) };
}

export type GetAccountDocumentOptions = SessionOptions & { envelopeId: string; documentId: string };

/** A certified PDF of one of the customer's own envelopes (403 for anyone else's). */
export async function getAccountDocument(options: GetAccountDocumentOptions): Promise<SigningDocument> {
  const { deps } = options;
  const account = await loadAccount(options);
  const envelope = await getEnvelope(deps.store, options.envelopeId);
  // Someone else's envelope and no envelope at all answer alike: ids are not confirmed to strangers.
  if (!envelope || envelope.sender.email !== account.email) {
    throw new DomainError({ code: 'FORBIDDEN', message: 'This document is not yours.' });
  }
  const certified =
    envelope.status === 'completed' ? envelope.certified?.find((c) => c.documentId === options.documentId) : undefined;
  if (!certified || 'documentsDeletedAt' in envelope) {
    throw new DomainError({ code: 'DOCUMENT_NOT_FOUND', message: 'This signed document is not available.' });
  }
  if (certified.size > INLINE_DOCUMENT_LIMIT && deps.documents.createDownloadUrl) {
    const url = await deps.documents.createDownloadUrl({
      key: certified.key,
      fileName: certified.name,
      expiresInSeconds: 300,
    });
    return { kind: 'redirect', name: certified.name, url };
  }
  const bytes = await deps.documents.get(certified.key);
  if (!bytes)
    throw new DomainError({ code: 'DOCUMENT_NOT_FOUND', message: 'This signed document is no longer available.' });
  return { kind: 'bytes', name: certified.name, contentType: 'application/pdf', bytes };
}
