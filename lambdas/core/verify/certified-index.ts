// The record that lets anyone check, for decades, that a PDF was certified by this service:
// keyed by the SHA-256 of the certified file as it was issued (the bytes the signature covers,
// /Contents included), written with no expiry by the step that joins the file (Deliver; Certify
// for runs started before). It carries the facts of the report (envelope reference, signers and
// times, the original's SHA-256) so the report outlives the envelope's own records, which the
// retention period deletes.
import { createHash } from 'node:crypto';
import type { Store } from '../ports.ts';

export type CertifiedRecord = {
  sha256: string;
  envelopeId: string;
  documentId: string;
  documentName: string;
  subject: string;
  originalSha256: string;
  certifiedAt: string;
  signers: Array<{ name: string; email: string; signedAt: string }>;
};

const key = (sha256: string) => ({ pk: `CERTIFIED#${sha256.toLowerCase()}`, sk: 'CERTIFIED' });

export async function putCertifiedRecord(store: Store, record: CertifiedRecord): Promise<void> {
  await store.put({ ...key(record.sha256), kind: 'certified', ...record });
}

export async function findCertifiedRecord(store: Store, sha256: string): Promise<CertifiedRecord | undefined> {
  if (!/^[0-9a-f]{64}$/i.test(sha256)) return undefined;
  const item = await store.get(key(sha256));
  if (!item) return undefined;
  const { pk: _pk, sk: _sk, kind: _kind, ...rest } = item;
  return rest as unknown as CertifiedRecord;
}

// The seal certificates that have certified documents, kept for good: verification recognises
// this service's signature by them, including after the seal certificate is renewed, and the
// verifying functions need no access to the sealing key.
const SEALS_PK = 'SEALS';

export async function recordSealCertificate(options: {
  store: Store;
  certificate: Uint8Array;
  at: Date;
}): Promise<void> {
  const der = Buffer.from(options.certificate);
  const id = createHash('sha256').update(der).digest('hex');
  const key = { pk: SEALS_PK, sk: `CERT#${id}` };
  if (await options.store.get(key)) return;
  await options.store.put({
    ...key,
    kind: 'seal-certificate',
    der: der.toString('base64'),
    firstUsedAt: options.at.toISOString(),
  });
}

/** DER certificates of every seal that certified a document, the most recently first used first. */
export async function listSealCertificates(store: Store): Promise<Uint8Array[]> {
  const items = await store.query(SEALS_PK, { skPrefix: 'CERT#' });
  return items
    .sort((a, b) => String(b.firstUsedAt).localeCompare(String(a.firstUsedAt)))
    .map((item) => new Uint8Array(Buffer.from(String(item.der), 'base64')));
}
