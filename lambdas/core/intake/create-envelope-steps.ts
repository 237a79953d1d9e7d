// The writes and mails of an accepted request, as idempotent steps keyed by the inbound message,
// so an attempt that died anywhere is RESUMED by the next one (never restarted, never dropped):
//   envelope id = hash of the message id (one envelope per message, created with a conditional put;
//   a later attempt reads the stored one back) -> originals (same keys, same bytes) -> customer
//   index -> audit "created" (fixed time and key) -> each signer (conditional put) -> the
//   "contacting" mark on the inbound record -> each invitation -> the acknowledgement.
// Mails are at-least-once: a mail is sent unless its SENT# mark exists, and the mark is written
// right after the mailer accepted it. A crash between the two resends it once, with the same
// Message-ID (so the recipient's client shows one message) and a fresh link (both links work).
// The other choice, at-most-once, would lose an invitation forever on that crash, stalling the
// envelope; a duplicate in that narrow window is the lesser harm.
import { createHash } from 'node:crypto';
import type { ParsedMail } from 'mailparser';
import { recordAuditEvent } from '../audit/audit-events.ts';
import type { Deps } from '../deps.ts';
import { ConditionFailedError } from '../errors.ts';
import { storeDocumentPages } from '../envelopes/document-pages.ts';
import {
  getEnvelope,
  putEnvelope,
  putSigner,
  type DocumentRecord,
  type Envelope,
} from '../envelopes/envelope-records.ts';
import { SIGNING_PAGE } from '../settings.ts';
import { issueToken } from '../tokens/link-tokens.ts';
import type { IncomingDocument } from './collect-documents.ts';
import { composeAcknowledgement } from './compose-intake-replies.ts';
import { composeInvitation } from './compose-invitation.ts';
import { scheduleEnvelopeChecks } from '../scheduling/check-envelope.ts';
import { isIntakeMailSent, markIntakeMailSent, recordInboundEnvelope } from './inbound-records.ts';
import type { MailboxAddress } from './sign-request-rules.ts';

const DAY_MS = 86_400_000;

/** One envelope per inbound message, whatever the number of attempts. */
export function envelopeIdFor(messageId: string): string {
  return createHash('sha256').update(`envelope\u0000${messageId}`).digest('hex').slice(0, 32);
}

/** The Message-ID of a mail intake sends for a step: the same on every attempt. */
export function intakeMailId(messageId: string, step: string): string {
  const hash = createHash('sha256').update(`${messageId}\u0000${step}`).digest('hex').slice(0, 24);
  return `<${step}.${hash}@mailsign>`;
}

export type CreateEnvelopeStepsOptions = {
  deps: Deps;
  mail: ParsedMail;
  sender: { name: string; email: string };
  signers: MailboxAddress[];
  documents: IncomingDocument[];
  messageId: string;
  subject: string;
  /** When the message was first claimed: the envelope's creation time on every attempt. */
  receivedAt: Date;
};

/** Creates (or finds) the envelope and sends what is not sent yet; returns the envelope id. */
export async function createEnvelopeSteps(options: CreateEnvelopeStepsOptions): Promise<string> {
  const { deps, mail, sender, signers, messageId } = options;
  const envelopeId = envelopeIdFor(messageId);
  const envelope = await ensureEnvelope(options, envelopeId);
  // Idempotent (one job per envelope and due time): a resumed attempt plans the same check.
  await scheduleEnvelopeChecks({ deps, envelope });
  const now = deps.clock.now();
  const createdAt = new Date(envelope.createdAt);
  const expiresAt = new Date(envelope.expiresAt);
  const recordTtl =
    Math.floor(createdAt.getTime() / 1000) + (deps.settings.retentionDays + deps.settings.linkTtlDays) * 86_400;
  for (const [index, signer] of signers.entries()) {
    try {
      await putSigner(
        deps.store,
        { envelopeId, position: index + 1, email: signer.address, name: signer.name, status: 'pending' },
        { ttl: recordTtl },
      );
    } catch (error) {
      if (!(error instanceof ConditionFailedError)) throw error;
    }
  }
  // From here on people may be contacted: a failure resumes instead of answering "nothing was done".
  await recordInboundEnvelope({ store: deps.store, messageId, envelopeId });

  const service = { name: deps.settings.serviceName, address: deps.settings.serviceAddress };
  const documentNames = envelope.documents.map((d) => d.name);
  const message = {
    subject: envelope.subject,
    text: mail.text ?? '',
    html: typeof mail.html === 'string' ? mail.html : undefined,
    messageId: mail.messageId,
    attachments: mail.attachments.map((a) => ({
      filename: a.filename ?? 'attachment',
      content: a.content, // the parser's Buffer, shared with the inspected documents: no copy
      contentType: a.contentType,
      cid: a.related || a.contentDisposition === 'inline' ? a.cid : undefined,
    })),
  };
  for (const [index, signer] of signers.entries()) {
    const position = index + 1;
    const step = `invite-${String(position).padStart(2, '0')}`;
    if (await isIntakeMailSent({ store: deps.store, messageId, step })) continue;
    const { token } = await issueToken({
      store: deps.store,
      random: deps.random,
      clock: deps.clock,
      kind: 'signing',
      ttlSeconds: Math.max(1, Math.floor((expiresAt.getTime() - now.getTime()) / 1000)),
      envelopeId,
      position,
    });
    const parts = await composeInvitation({
      message,
      sender,
      signer: { name: signer.name, email: signer.address, position },
      signerCount: signers.length,
      previousSignerName: signers[index - 1]?.name,
      documentNames,
      link: `${deps.settings.publicUrl}/${SIGNING_PAGE}#t=${token}`,
      service,
      date: now,
      expiresAt,
      outgoingMessageId: intakeMailId(messageId, step),
    });
    await deps.mailer.send({ from: deps.settings.serviceAddress, to: [signer.address], parts });
    await recordAuditEvent({
      store: deps.store,
      clock: deps.clock,
      random: deps.random,
      event: { type: 'signer.notified', envelopeId, position, data: { email: signer.address, firstNotice: true } },
      once: { at: now.toISOString(), key: step },
    });
    await markIntakeMailSent({ store: deps.store, clock: deps.clock, messageId, step, ttl: recordTtl });
  }
  if (!(await isIntakeMailSent({ store: deps.store, messageId, step: 'ack' }))) {
    const ack = await composeAcknowledgement({
      service,
      sender: { name: sender.name, address: sender.email },
      subject: envelope.subject,
      documentNames,
      signers: signers.map((s, i) => ({ position: i + 1, name: s.name, email: s.address })),
      expiresAt,
      date: now,
      messageId: intakeMailId(messageId, 'ack'),
      envelopeId,
    });
    await deps.mailer.send({ from: deps.settings.serviceAddress, to: [sender.email], raw: ack });
    await markIntakeMailSent({ store: deps.store, clock: deps.clock, messageId, step: 'ack', ttl: recordTtl });
  }
  return envelopeId;
}

/** The envelope of this message: created once, read back by any later attempt. */
async function ensureEnvelope(options: CreateEnvelopeStepsOptions, envelopeId: string): Promise<Envelope> {
  const { deps, sender, signers, documents, messageId } = options;
  const existing = await getEnvelope(deps.store, envelopeId);
  if (existing) return existing;
  const now = options.receivedAt;
  const expiresAt = new Date(now.getTime() + deps.settings.linkTtlDays * DAY_MS);
  const recordTtl =
    Math.floor(now.getTime() / 1000) + (deps.settings.retentionDays + deps.settings.linkTtlDays) * 86_400;
  const records: DocumentRecord[] = [];
  for (const [index, document] of documents.entries()) {
    const id = `d${index + 1}`;
    const key = `envelopes/${envelopeId}/originals/${id}.pdf`;
    await deps.documents.put({ key, body: document.bytes, contentType: 'application/pdf' });
    const pages = await storeDocumentPages({
      documents: deps.documents,
      envelopeId,
      documentId: id,
      pages: document.pages,
    });
    records.push({
      id,
      name: document.name,
      key,
      sha256: document.sha256,
      size: document.bytes.byteLength,
      pageCount: document.pageCount,
      ...pages,
    });
  }
  const envelope: Envelope = {
    id: envelopeId,
    subject: options.subject || (documents[0] as IncomingDocument).name,
    message: (options.mail.text ?? '').trim().slice(0, 5000),
    sender,
    status: 'signing',
    createdAt: now.toISOString(),
    expiresAt: expiresAt.toISOString(),
    signerCount: signers.length,
    currentPosition: 1,
    documents: records,
    rawMailKey: messageId,
    inboundMessageId: messageId,
  };
  // The index and the audit event before the envelope: both are keyed so a rerun rewrites the same.
  await deps.store.put({
    pk: `ACCOUNT#${sender.email}`,
    sk: `ENV#${envelope.createdAt}#${envelopeId}`,
    kind: 'account-envelope',
    envelopeId,
    ttl: recordTtl,
  });
  await recordAuditEvent({
    store: deps.store,
    clock: deps.clock,
    random: deps.random,
    event: {
      type: 'envelope.created',
      envelopeId,
      data: {
        sender: sender.email,
        signers: signers.length,
        documents: records.map((r) => ({ name: r.name, sha256: r.sha256 })),
      },
    },
    once: { at: envelope.createdAt, key: 'created' },
  });
  try {
    await putEnvelope(deps.store, envelope, { ttl: recordTtl });
    return envelope;
  } catch (error) {
    if (!(error instanceof ConditionFailedError)) throw error;
    return (await getEnvelope(deps.store, envelopeId)) ?? envelope;
  }
}
