// The envelope, its signers and documents as stored in the single table, and the key layout.
// Every other module reads and writes envelopes through these functions, never raw keys.
import type { Store, StoreItem } from '../ports.ts';
import { parseRecord } from '../records/parse-record.ts';
import { envelopeSchema, signerSchema } from '../records/record-schemas.ts';

export type EnvelopeStatus = 'signing' | 'finalizing' | 'completed' | 'declined' | 'expired' | 'failed' | 'cancelled';
export type SignerStatus = 'pending' | 'signed' | 'declined';

export type PageSize = { width: number; height: number };

export type DocumentRecord = {
  id: string;
  name: string;
  /** Key of the original bytes in the documents store. */
  key: string;
  sha256: string;
  size: number;
  pageCount: number;
  /** Inline for documents of up to INLINE_PAGES pages; otherwise stored at `pagesKey` (document-pages.ts). */
  pages?: PageSize[];
  pagesKey?: string;
};

export type CertifiedDocument = { documentId: string; name: string; key: string; sha256: string; size: number };

export type Envelope = {
  id: string;
  subject: string;
  message: string;
  sender: { name: string; email: string };
  status: EnvelopeStatus;
  createdAt: string;
  expiresAt: string;
  completedAt?: string;
  signerCount: number;
  /** Position (1-based) of the signer whose turn it is; signerCount + 1 once all signed. */
  currentPosition: number;
  documents: DocumentRecord[];
  rawMailKey: string;
  inboundMessageId: string;
  declineReason?: string;
  certified?: CertifiedDocument[];
  failureReason?: string;
  /** Whether a failed finalization is retried automatically ('temporary') or needs an operator. */
  failureKind?: 'temporary' | 'permanent';
  /** Finalization runs restarted after the first (retries, resumes). */
  finalizeRetries?: number;
};

export type SignaturePlacement = {
  documentId: string;
  page: number;
  x: number;
  y: number;
  width: number;
  height: number;
};

export type SigningEvidence = {
  at: string;
  ip: string;
  userAgent: string;
  consent: true;
  documentHashes: Record<string, string>;
};

export type Signer = {
  envelopeId: string;
  position: number;
  email: string;
  name: string;
  status: SignerStatus;
  phone?: string;
  phoneVerifiedAt?: string;
  signedAt?: string;
  declinedAt?: string;
  declineReason?: string;
  imageKey?: string;
  placements?: SignaturePlacement[];
  evidence?: SigningEvidence;
};

export const envelopeKey = (envelopeId: string) => ({ pk: `ENV#${envelopeId}`, sk: 'META' });
export const signerKey = (envelopeId: string, position: number) => ({
  pk: `ENV#${envelopeId}`,
  sk: `SIGNER#${String(position).padStart(2, '0')}`,
});

function stripKeys<T>(item: StoreItem): T {
  const { pk: _pk, sk: _sk, kind: _kind, ttl: _ttl, ...rest } = item;
  return rest as T;
}

export async function putEnvelope(store: Store, envelope: Envelope, options: { ttl: number }): Promise<void> {
  await store.put(
    { ...envelopeKey(envelope.id), kind: 'envelope', ttl: options.ttl, ...envelope },
    { ifNotExists: true },
  );
}

const toEnvelope = (item: StoreItem) =>
  parseRecord<Envelope>({ schema: envelopeSchema, record: 'envelope', item: stripKeys(item) });

/** The envelope a store write returned (an update gives the item as it is after it). */
export function envelopeFromItem(item: StoreItem): Envelope {
  return toEnvelope(item);
}
const toSigner = (item: StoreItem) =>
  parseRecord<Signer>({ schema: signerSchema, record: 'signer', item: stripKeys(item) });

/** A signer record as a store returned it (e.g. an update's result), without reading it again. */
export function signerFromItem(item: StoreItem): Signer {
  return toSigner(item);
}

export async function getEnvelope(store: Store, envelopeId: string): Promise<Envelope | undefined> {
  const item = await store.get(envelopeKey(envelopeId));
  return item ? toEnvelope(item) : undefined;
}

export async function putSigner(store: Store, signer: Signer, options: { ttl: number }): Promise<void> {
  await store.put(
    { ...signerKey(signer.envelopeId, signer.position), kind: 'signer', ttl: options.ttl, ...signer },
    { ifNotExists: true },
  );
}

/**
 * A signature as the one conditional write of a submit stores it, on the envelope item itself
 * (with the turn move): the signer's record is brought up to date afterwards, and until then
 * every read of a signer shows the committed signature (see withCommittedSignature).
 */
export type CommittedSignature = Required<Pick<Signer, 'signedAt' | 'imageKey' | 'placements' | 'evidence'>>;

/** The envelope attribute holding signer `position`'s committed signature. */
export const committedSignatureAttribute = (position: number) => `signed${String(position).padStart(2, '0')}`;

export function committedSignature(envelope: object | undefined, position: number): CommittedSignature | undefined {
  return (envelope as Record<string, CommittedSignature | undefined> | undefined)?.[
    committedSignatureAttribute(position)
  ];
}

/** The signer as it stands: signed once its signature is committed, even before its record caught up. */
export function withCommittedSignature(signer: Signer, envelope: object | undefined): Signer {
  const committed = signer.status === 'pending' ? committedSignature(envelope, signer.position) : undefined;
  return committed ? { ...signer, ...committed, status: 'signed' } : signer;
}

export async function getSigner(store: Store, envelopeId: string, position: number): Promise<Signer | undefined> {
  const [item, envelope] = await Promise.all([
    store.get(signerKey(envelopeId, position)),
    store.get(envelopeKey(envelopeId)),
  ]);
  return item ? withCommittedSignature(toSigner(item), envelope) : undefined;
}

/** The envelope and one of its signers, read at once: the signer as it stands, through the envelope's committed signatures. */
export async function getEnvelopeAndSigner(
  store: Store,
  envelopeId: string,
  position: number,
): Promise<{ envelope?: Envelope; signer?: Signer }> {
  const [envelopeItem, signerItem] = await Promise.all([
    store.get(envelopeKey(envelopeId)),
    store.get(signerKey(envelopeId, position)),
  ]);
  const envelope = envelopeItem ? toEnvelope(envelopeItem) : undefined;
  return { envelope, signer: signerItem ? withCommittedSignature(toSigner(signerItem), envelope) : undefined };
}

/** The signer as it stands over an envelope already read: getSigner without reading the envelope again. */
export async function getSignerOf(store: Store, envelope: Envelope, position: number): Promise<Signer | undefined> {
  const item = await store.get(signerKey(envelope.id, position));
  return item ? withCommittedSignature(toSigner(item), envelope) : undefined;
}

export async function listSigners(store: Store, envelopeId: string): Promise<Signer[]> {
  const [items, envelope] = await Promise.all([
    store.query(`ENV#${envelopeId}`, { skPrefix: 'SIGNER#' }),
    store.get(envelopeKey(envelopeId)),
  ]);
  return items.map((item) => withCommittedSignature(toSigner(item), envelope)).sort((a, b) => a.position - b.position);
}

/** Strips the storage attributes from an item of this module's kind. */
export { stripKeys as fromStoreItem };
