// Intake use case: an inbound email (already stored as raw bytes) becomes an envelope, each
// signer gets the sender's message with a personal link on top, the sender an acknowledgement.
// Bad input gets one clear reply to an authenticated sender; nothing is sent otherwise.
import type { AddressObject } from 'mailparser';
import { ensureAccount, isCustomerAddress } from '../accounts/account-records.ts';
import { assessRequestCost } from '../billing/assess-request-cost.ts';
import type { Deps } from '../deps.ts';
import type { MailAddress } from '../mail/compose-mail.ts';
import { parseMail } from '../mail/parse-mail.ts';
import { findMailCommand, runMailCommand } from '../commands/mail-commands.ts';
import { hasVerifyMarker } from '../verify/verify-marker.ts';
import { isDuplicateMessage } from './duplicate-messages.ts';
import { collectDocuments, type ReaderFallbackReport } from './collect-documents.ts';
import { indexRawMail } from '../retention/raw-mail-index.ts';
import {
  composeRefusal,
  inactiveAccountRefusal,
  insufficientBalanceRefusal,
  type IntakeRefusal,
} from './compose-intake-replies.ts';
import { createEnvelopeSteps, envelopeIdFor, intakeMailId } from './create-envelope-steps.ts';
import {
  claimInboundMessage,
  IntakeInProgressError,
  isIntakeMailSent,
  markIntakeMailSent,
  recordInboundOutcome,
  type InboundOutcome,
} from './inbound-records.ts';
import { handleIntakeError, readInput } from './intake-failure.ts';
import { assessMimeComplexity, describeMimeLimit } from './mime-limits.ts';
import { authenticateSender, countFromHeaders, readDkimDomains, type ReceiptVerdicts } from './ses-verdicts.ts';
import {
  extractSigners,
  hasSignMarker,
  MAX_SIGNERS,
  stripSignMarker,
  type MailboxAddress,
} from './sign-request-rules.ts';

export const MAX_MESSAGE_BYTES = 40 * 1024 * 1024;

export type ReceiveSignRequestOptions = {
  deps: Deps;
  /** SES message id: the raw mail's key in the raw-mail store, and the idempotency key. */
  messageId: string;
  verdicts: ReceiptVerdicts;
  /** SMTP MAIL FROM, as SES saw it. */
  envelopeSender?: string;
  /** Told when a PDF needed pdf-lib's full parse (the handler logs it). */
  onReaderFallback?: ReaderFallbackReport;
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

/**
 * Claims the message (or resumes an earlier attempt whose lease expired), runs the steps, and
 * turns any unexpected error into an outcome (see intake-failure.ts): nothing is dropped silently.
 * A delivery that finds another attempt working on the message throws IntakeInProgressError
 * (retry later) rather than dropping it.
 */
export async function receiveSignRequest(options: ReceiveSignRequestOptions): Promise<InboundOutcome> {
  const { deps, messageId } = options;
  const now = deps.clock.now();
  const retentionTtl = Math.floor(now.getTime() / 1000) + deps.settings.retentionDays * 86_400;
  const claim = await claimInboundMessage({
    store: deps.store,
    clock: deps.clock,
    messageId,
    ttl: retentionTtl,
    verdicts: options.verdicts,
    envelopeSender: options.envelopeSender,
  });
  if (claim.state === 'done') return { status: 'ignored', reason: 'already processed' };
  if (claim.state === 'busy') throw new IntakeInProgressError(messageId);
  const progress: IntakeProgress = { subject: '' };
  try {
    return await processClaimedMessage({ ...options, receivedAt: claim.receivedAt, retentionTtl, progress });
  } catch (error) {
    return handleIntakeError({
      deps,
      messageId,
      error,
      sender: progress.sender,
      subject: progress.subject,
      envelopeId: envelopeIdFor(messageId),
      ttl: retentionTtl,
    });
  }
}

/**
 * Reads and parses the stored mail. The raw bytes stay in this function's scope, so they can be
 * freed once parsed, before the documents are inspected and the invitations composed.
 */
async function readStoredMail(options: { deps: Deps; messageId: string }) {
  const raw = await options.deps.rawMail.get(options.messageId);
  if (!raw) return undefined;
  // Bounded before the full parse: a message above the MIME caps is parsed for its headers only.
  const complexity = assessMimeComplexity(raw);
  const mail = await readInput(() => parseMail({ raw: complexity.ok ? raw : complexity.headers }));
  return { mail, complexity, rawBytes: raw.byteLength };
}

/** What the steps learned so far, for the error path: the reply needs an authenticated sender. */
type IntakeProgress = { sender?: { name: string; email: string }; subject: string };

type ProcessClaimedMessageOptions = ReceiveSignRequestOptions & {
  receivedAt: Date;
  retentionTtl: number;
  progress: IntakeProgress;
};

async function processClaimedMessage(options: ProcessClaimedMessageOptions): Promise<InboundOutcome> {
  const { deps, messageId, progress, retentionTtl } = options;
  const now = deps.clock.now();
  // Every raw mail, whatever its outcome, is deleted after the retention period.
  await indexRawMail({ store: deps.store, messageId, receivedAt: options.receivedAt });
  const finish = async (outcome: InboundOutcome, sender?: string) => {
    await recordInboundOutcome({ store: deps.store, clock: deps.clock, messageId, outcome, sender });
    return outcome;
  };
  const stored = await readStoredMail({ deps, messageId });
  if (!stored) return finish({ status: 'ignored', reason: 'raw message not found in the raw-mail store' });
  const { mail, complexity, rawBytes } = stored;
  const fromAddresses = addresses(mail.from);
  const from = fromAddresses[0];
  if (!from?.address) return finish({ status: 'ignored', reason: 'no From address' });
  const sender = { name: from.name || from.address, email: from.address.toLowerCase() };
  const service = deps.settings;
  if (sender.email === service.serviceAddress || service.inboundAddresses.includes(sender.email)) {
    return finish({ status: 'ignored', reason: 'mail from the service itself (loop)' });
  }
  const auth = authenticateSender({
    verdicts: options.verdicts,
    fromAddresses: fromAddresses.map((address) => address.address),
    fromHeaderCount: countFromHeaders(mail.headerLines),
    envelopeSenderDomain: options.envelopeSender ? domainOf(options.envelopeSender) : undefined,
    dkimDomains: readDkimDomains(mail.headerLines),
  });
  if (!auth.authenticated) return finish({ status: 'ignored', reason: auth.reason }, sender.email);
  // *VERIFY: anyone authenticated, no account needed (lambdas/core/verify).
  if (hasVerifyMarker(mail.subject ?? ''))
    // Loaded for a *VERIFY mail only: the certificate parsing (pkijs) stays out of intake's start.
    return finish(
      await (await import('../verify/answer-verify-request.ts')).answerVerifyRequest({ deps, mail, sender }),
      sender.email,
    );
  const command = findMailCommand(mail.subject ?? '');
  if (command) {
    const customer = isCustomerAddress(sender.email, service.customerDomains);
    return finish(await runMailCommand({ deps, command, mail, sender, customer }), sender.email);
  }
  if (!isCustomerAddress(sender.email, service.customerDomains)) {
    return finish({ status: 'ignored', reason: 'sender is not in a customer domain' }, sender.email);
  }
  if (
    await isDuplicateMessage({
      deps,
      sender: sender.email,
      headerMessageId: mail.messageId,
      messageId,
      ttl: retentionTtl,
    })
  ) {
    return finish({ status: 'ignored', reason: 'duplicate Message-ID from this sender' }, sender.email);
  }
  const subject = mail.subject ?? '';
  progress.sender = sender;
  progress.subject = stripSignMarker(subject) || subject;
  const account = await ensureAccount({ store: deps.store, clock: deps.clock, email: sender.email });

  const serviceFrom: MailAddress = { name: service.serviceName, address: service.serviceAddress };
  const refuse = async (refusal: IntakeRefusal) => {
    // Sent once: a rerun after a crash between the reply and the outcome does not send it again.
    if (!(await isIntakeMailSent({ store: deps.store, messageId, step: 'refusal' }))) {
      const raw = await composeRefusal({
        service: serviceFrom,
        sender: { name: sender.name, address: sender.email },
        originalSubject: progress.subject,
        refusal,
        date: now,
        messageId: intakeMailId(messageId, 'refusal'),
      });
      await deps.mailer.send({ from: service.serviceAddress, to: [sender.email], raw });
      await markIntakeMailSent({
        store: deps.store,
        clock: deps.clock,
        messageId,
        step: 'refusal',
        ttl: options.retentionTtl,
      });
    }
    return finish({ status: 'refused', code: refusal.code }, sender.email);
  };

  if (account.status !== 'active')
    return refuse(inactiveAccountRefusal({ status: account.status, serviceAddress: service.serviceAddress }));
  if (rawBytes > MAX_MESSAGE_BYTES) {
    return refuse({
      code: 'TOO_LARGE',
      fr:
        `le message fait ${(rawBytes / 1048576).toFixed(1)} Mo ; le ` +
        'maximum est 40 Mo. Envoyez moins de documents ou des fichiers plus légers.',
      en:
        `the message is ${(rawBytes / 1048576).toFixed(1)} MB; the maximum ` +
        'is 40 MB. Send fewer or smaller documents.',
    });
  }
  if (!complexity.ok) {
    return refuse({ code: 'MAIL_TOO_COMPLEX', ...describeMimeLimit(complexity.limit, complexity.found) });
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
      fr:
        'aucun signataire : mettez les personnes qui doivent signer en ' +
        "destinataires (À) ou en copie (Cc), dans l'ordre de signature.",
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
  const collected = await readInput(() =>
    collectDocuments({ attachments: mail.attachments, onReaderFallback: options.onReaderFallback }),
  );
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

  const envelopeId = await createEnvelopeSteps({
    deps,
    mail,
    sender,
    signers,
    documents: collected.documents,
    messageId,
    subject: stripSignMarker(subject),
    receivedAt: options.receivedAt,
  });
  return finish({ status: 'accepted', envelopeId }, sender.email);
}
