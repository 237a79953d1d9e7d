// Intake use case: an inbound email (already stored as raw bytes) becomes an envelope, each
// signer gets the sender's message with a personal link on top, the sender an acknowledgement.
// Bad input gets one clear reply to an authenticated sender; nothing is sent otherwise.
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import { ensureAccount, isCustomerAddress } from '../accounts/account-records.ts';
import { recordAuditEvent } from '../audit/audit-events.ts';
import { assessRequestCost } from '../billing/assess-request-cost.ts';
import type { Deps } from '../deps.ts';
import { putEnvelope, putSigner, type Envelope } from '../envelopes/envelope-records.ts';
import type { MailAddress } from '../mail/compose-mail.ts';
import { SIGNING_PAGE } from '../settings.ts';
import { issueToken } from '../tokens/link-tokens.ts';
import { answerVerifyRequest, hasVerifyMarker } from '../verify/answer-verify-request.ts';
import { collectDocuments, type IncomingDocument } from './collect-documents.ts';
import { indexRawMail } from '../retention/raw-mail-index.ts';
import {
  composeAcknowledgement,
  composeRefusal,
  inactiveAccountRefusal,
  insufficientBalanceRefusal,
  type IntakeRefusal,
} from './compose-intake-replies.ts';
import { composeInvitation } from './compose-invitation.ts';
import { claimInboundMessage, recordInboundOutcome, type InboundOutcome } from './inbound-records.ts';
import { authenticateSender, type ReceiptVerdicts } from './ses-verdicts.ts';
import {
  extractSigners,
  hasSignMarker,
  MAX_SIGNERS,
  stripSignMarker,
  type MailboxAddress,
} from './sign-request-rules.ts';

export const MAX_MESSAGE_BYTES = 40 * 1024 * 1024;
const DAY_MS = 86_400_000;

export type ReceiveSignRequestOptions = {
  deps: Deps;
  /** SES message id: the raw mail's key in the raw-mail store, and the idempotency key. */
  messageId: string;
  verdicts: ReceiptVerdicts;
  /** SMTP MAIL FROM, as SES saw it. */
  envelopeSender?: string;
};

function addresses(field: AddressObject | AddressObject[] | undefined): MailboxAddress[] {
  const list = Array.isArray(field) ? field : field ? [field] : [];
  return list.flatMap((group) =>
    group.value.flatMap((entry) =>
      (entry.group ?? [entry]).map((a) => ({ name: a.name ?? '', address: a.address ?? '' })),
    ),
  );
}

function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1).toLowerCase();
}

function newId(deps: Deps): string {
  return Buffer.from(deps.random.bytes(16)).toString('hex');
}

export async function receiveSignRequest(options: ReceiveSignRequestOptions): Promise<InboundOutcome> {
  const { deps, messageId } = options;
  const now = deps.clock.now();
  const retentionTtl = Math.floor(now.getTime() / 1000) + deps.settings.retentionDays * 86_400;
  if (!(await claimInboundMessage({ store: deps.store, clock: deps.clock, messageId, ttl: retentionTtl }))) {
    return { status: 'ignored', reason: 'already processed' };
  }
  // Every raw mail, whatever its outcome, is deleted after the retention period.
  await indexRawMail({ store: deps.store, messageId, receivedAt: now });
  const finish = async (outcome: InboundOutcome, sender?: string) => {
    await recordInboundOutcome({ store: deps.store, clock: deps.clock, messageId, outcome, sender });
    return outcome;
  };
  const raw = await deps.rawMail.get(messageId);
  if (!raw) return finish({ status: 'ignored', reason: 'raw message not found in the raw-mail store' });

  const mail = await simpleParser(Buffer.from(raw), {
    skipHtmlToText: true,
    skipTextToHtml: true,
    skipTextLinks: true,
  });
  const from = addresses(mail.from)[0];
  if (!from?.address) return finish({ status: 'ignored', reason: 'no From address' });
  const sender = { name: from.name || from.address, email: from.address.toLowerCase() };
  const service = deps.settings;
  if (sender.email === service.serviceAddress || service.inboundAddresses.includes(sender.email)) {
    return finish({ status: 'ignored', reason: 'mail from the service itself (loop)' });
  }
  const auth = authenticateSender({
    verdicts: options.verdicts,
    fromDomain: domainOf(sender.email),
    envelopeSenderDomain: options.envelopeSender ? domainOf(options.envelopeSender) : undefined,
  });
  if (!auth.authenticated) return finish({ status: 'ignored', reason: auth.reason }, sender.email);
  // *VERIFY: anyone authenticated, no account needed (lambdas/core/verify).
  if (hasVerifyMarker(mail.subject ?? ''))
    return finish(await answerVerifyRequest({ deps, mail, sender }), sender.email);
  if (!isCustomerAddress(sender.email, service.customerDomains)) {
    return finish({ status: 'ignored', reason: 'sender is not in a customer domain' }, sender.email);
  }
  const account = await ensureAccount({ store: deps.store, clock: deps.clock, email: sender.email });

  const serviceFrom: MailAddress = { name: service.serviceName, address: service.serviceAddress };
  const subject = mail.subject ?? '';
  const refuse = async (refusal: IntakeRefusal) => {
    const raw = await composeRefusal({
      service: serviceFrom,
      sender: { name: sender.name, address: sender.email },
      originalSubject: stripSignMarker(subject) || subject,
      refusal,
      date: now,
    });
    await deps.mailer.send({ from: service.serviceAddress, to: [sender.email], raw });
    return finish({ status: 'refused', code: refusal.code }, sender.email);
  };

  if (account.status !== 'active')
    return refuse(inactiveAccountRefusal({ status: account.status, serviceAddress: service.serviceAddress }));
  if (raw.byteLength > MAX_MESSAGE_BYTES) {
    return refuse({
      code: 'TOO_LARGE',
      fr: `le message fait ${(raw.byteLength / 1048576).toFixed(1)} Mo ; le maximum est 40 Mo. Envoyez moins de documents ou des fichiers plus légers.`,
      en: `the message is ${(raw.byteLength / 1048576).toFixed(1)} MB; the maximum is 40 MB. Send fewer or smaller documents.`,
    });
  }
  if (!hasSignMarker(subject)) {
    return refuse({
      code: 'NO_MARKER',
      fr: 'le sujet ne contient pas le mot-clé *SIGN.',
      en: 'the subject does not contain the *SIGN keyword.',
    });
  }
  const signers = extractSigners({
    to: addresses(mail.to),
    cc: addresses(mail.cc),
    senderAddress: sender.email,
    serviceAddresses: [service.serviceAddress, ...service.inboundAddresses],
  });
  if (signers.length === 0) {
    return refuse({
      code: 'NO_SIGNER',
      fr: "aucun signataire : mettez les personnes qui doivent signer en destinataires (À) ou en copie (Cc), dans l'ordre de signature.",
      en: 'no signer: put the people who must sign in To or Cc, in signing order.',
    });
  }
  if (signers.length > MAX_SIGNERS) {
    return refuse({
      code: 'TOO_MANY_SIGNERS',
      fr: `${signers.length} signataires ; le maximum est ${MAX_SIGNERS} par demande.`,
      en: `${signers.length} signers; the maximum is ${MAX_SIGNERS} per request.`,
    });
  }
  const collected = await collectDocuments({ attachments: mail.attachments });
  if (!collected.ok) return refuse(collected.refusal);
  const cost = await assessRequestCost({ store: deps.store, account, signerCount: signers.length, now });
  if (!cost.covered) {
    return refuse(
      insufficientBalanceRefusal({
        ...cost,
        signerCount: signers.length,
        publicUrl: service.publicUrl,
        serviceAddress: service.serviceAddress,
      }),
    );
  }

  const envelopeId = newId(deps);
  await createEnvelope({
    deps,
    envelopeId,
    mail,
    sender,
    signers,
    documents: collected.documents,
    messageId,
    subject: stripSignMarker(subject),
  });
  return finish({ status: 'accepted', envelopeId }, sender.email);
}

type CreateEnvelopeOptions = {
  deps: Deps;
  envelopeId: string;
  mail: ParsedMail;
  sender: { name: string; email: string };
  signers: MailboxAddress[];
  documents: IncomingDocument[];
  messageId: string;
  subject: string;
};

async function createEnvelope(options: CreateEnvelopeOptions): Promise<void> {
  const { deps, envelopeId, mail, sender, signers, documents } = options;
  const now = deps.clock.now();
  const ttlSeconds = deps.settings.linkTtlDays * 86_400;
  const expiresAt = new Date(now.getTime() + deps.settings.linkTtlDays * DAY_MS);
  const recordTtl =
    Math.floor(now.getTime() / 1000) + (deps.settings.retentionDays + deps.settings.linkTtlDays) * 86_400;

  const records = documents.map((document, index) => ({
    id: `d${index + 1}`,
    name: document.name,
    key: `envelopes/${envelopeId}/originals/d${index + 1}.pdf`,
    sha256: document.sha256,
    size: document.bytes.byteLength,
    pageCount: document.pageCount,
    pages: document.pages,
  }));
  for (const [index, record] of records.entries()) {
    await deps.documents.put({
      key: record.key,
      body: (documents[index] as IncomingDocument).bytes,
      contentType: 'application/pdf',
    });
  }
  const subject = options.subject || (documents[0] as IncomingDocument).name;
  const envelope: Envelope = {
    id: envelopeId,
    subject,
    message: (mail.text ?? '').trim().slice(0, 5000),
    sender,
    status: 'signing',
    createdAt: now.toISOString(),
    expiresAt: expiresAt.toISOString(),
    signerCount: signers.length,
    currentPosition: 1,
    documents: records,
    rawMailKey: options.messageId,
    inboundMessageId: options.messageId,
  };
  await putEnvelope(deps.store, envelope, { ttl: recordTtl });
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
  });

  const service = { name: deps.settings.serviceName, address: deps.settings.serviceAddress };
  const message = {
    subject,
    text: mail.text ?? '',
    html: typeof mail.html === 'string' ? mail.html : undefined,
    messageId: mail.messageId,
    attachments: mail.attachments.map((a) => ({
      filename: a.filename ?? 'attachment',
      content: new Uint8Array(a.content),
      contentType: a.contentType,
      cid: a.related || a.contentDisposition === 'inline' ? a.cid : undefined,
    })),
  };
  for (const [index, signer] of signers.entries()) {
    const position = index + 1;
    await putSigner(
      deps.store,
      { envelopeId, position, email: signer.address, name: signer.name, status: 'pending' },
      { ttl: recordTtl },
    );
    const { token } = await issueToken({
      store: deps.store,
      random: deps.random,
      clock: deps.clock,
      kind: 'signing',
      ttlSeconds,
      envelopeId,
      position,
    });
    const raw = await composeInvitation({
      message,
      sender,
      signer: { name: signer.name, email: signer.address, position },
      signerCount: signers.length,
      previousSignerName: signers[index - 1]?.name,
      documentNames: records.map((r) => r.name),
      link: `${deps.settings.publicUrl}/${SIGNING_PAGE}#t=${token}`,
      service,
      date: now,
      expiresAt,
    });
    await deps.mailer.send({ from: deps.settings.serviceAddress, to: [signer.address], raw });
    await recordAuditEvent({
      store: deps.store,
      clock: deps.clock,
      random: deps.random,
      event: { type: 'signer.notified', envelopeId, position, data: { email: signer.address, firstNotice: true } },
    });
  }
  const ack = await composeAcknowledgement({
    service,
    sender: { name: sender.name, address: sender.email },
    subject,
    documentNames: records.map((r) => r.name),
    signers: signers.map((s, i) => ({ position: i + 1, name: s.name, email: s.address })),
    expiresAt,
    date: now,
  });
  await deps.mailer.send({ from: deps.settings.serviceAddress, to: [sender.email], raw: ack });
}
