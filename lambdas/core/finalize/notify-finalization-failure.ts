// Step "NotifyFailure": the envelope becomes visibly `failed` (one conditional write: one notice
// per failure) and the mails tell the truth:
// - a temporary failure (the retried error classes, e.g. KMS throttled, and fewer than
//   MAX_AUTOMATIC_RETRIES restarts so far) is retried automatically by the sweep (the daily job,
//   the local stack at start): the sender is told it is delayed and retried;
// - anything else is permanent: no automatic retry; the sender is told the certified document
//   could not be produced, that the signatures stand and the team was alerted, and every signer
//   is told too (they signed and would otherwise wait for a document that does not come).
import { recordAuditEvent } from '../audit/audit-events.ts';
import type { Deps } from '../deps.ts';
import { ConditionFailedError } from '../errors.ts';
import { envelopeKey, getEnvelope, listSigners, type Envelope } from '../envelopes/envelope-records.ts';
import { composeServiceMail, type MailAddress } from '../mail/compose-mail.ts';
import { clearFinalizing } from './finalization-index.ts';
import type { FailureInput } from './finalize-types.ts';

/** Error names the state machine retries (finalize.asl.json), plus a run's timeout. */
const TEMPORARY_ERRORS = new Set([
  'TransientError',
  'Lambda.ServiceException',
  'Lambda.TooManyRequestsException',
  'Lambda.SdkClientException',
  'States.Timeout',
]);
export const MAX_AUTOMATIC_RETRIES = 3;

export type NotifyFinalizationFailureOptions = { deps: Deps } & FailureInput;

export function classifyFinalizationFailure(
  errorName: string | undefined,
  retriesSoFar: number,
): 'temporary' | 'permanent' {
  return TEMPORARY_ERRORS.has(errorName ?? '') && retriesSoFar < MAX_AUTOMATIC_RETRIES ? 'temporary' : 'permanent';
}

export async function notifyFinalizationFailure({
  deps,
  envelopeId,
  error,
}: NotifyFinalizationFailureOptions): Promise<{
  envelopeId: string;
  status: 'failed' | 'unchanged';
  undelivered?: number;
}> {
  const envelope = await getEnvelope(deps.store, envelopeId);
  // A completed envelope (e.g. a duplicate run) stays completed.
  if (!envelope || envelope.status === 'completed') return { envelopeId, status: 'unchanged' };
  if (envelope.status !== 'finalizing') return { envelopeId, status: 'failed' };
  const reason = `${error?.Error ?? 'Error'}: ${(error?.Cause ?? '').slice(0, 500)}`;
  const kind = classifyFinalizationFailure(error?.Error, envelope.finalizeRetries ?? 0);
  try {
    await deps.store.update(envelopeKey(envelopeId), {
      set: { status: 'failed', failureReason: reason, failureKind: kind },
      expect: { status: 'finalizing' },
    });
  } catch (cause) {
    if (cause instanceof ConditionFailedError) return { envelopeId, status: 'unchanged' };
    throw cause;
  }
  await recordAuditEvent({
    store: deps.store,
    clock: deps.clock,
    random: deps.random,
    event: { type: 'envelope.failed', envelopeId, data: { error: error?.Error ?? 'Error', kind } },
  });
  if (kind === 'permanent') await clearFinalizing(deps, envelopeId);
  const sender = { name: envelope.sender.name, address: envelope.sender.email };
  const sends = [failureMail(deps, envelope, kind, sender, 'sender')];
  if (kind === 'permanent') {
    for (const signer of await listSigners(deps.store, envelopeId)) {
      sends.push(failureMail(deps, envelope, kind, { name: signer.name, address: signer.email }, 'signer'));
    }
  }
  // Every recipient is tried; one that fails does not keep the others from their notice.
  const results = await Promise.allSettled(sends);
  const undelivered = results.filter((result) => result.status === 'rejected').length;
  return { envelopeId, status: 'failed', ...(undelivered > 0 && { undelivered }) };
}

async function failureMail(
  deps: Deps,
  envelope: Envelope,
  kind: 'temporary' | 'permanent',
  to: MailAddress,
  role: 'sender' | 'signer',
): Promise<void> {
  const subject = envelope.subject;
  const paragraphs =
    kind === 'temporary'
      ? {
          fr: [
            `Tous les signataires ont signé « ${subject} », mais la production du ` +
              'document certifié a échoué sur une erreur temporaire.',
            'Les signatures sont enregistrées. La finalisation sera relancée ' +
              'automatiquement ; vous recevrez les documents dès qu’elle aboutit, ou ' +
              'un nouveau message si elle échoue encore.',
          ],
          en: [
            `Everyone has signed "${subject}", but producing the certified document failed on a temporary error.`,
            'The signatures are recorded. Finalization will be retried ' +
              'automatically; you will receive the documents as soon as it succeeds, ' +
              'or another message if it fails again.',
          ],
        }
      : role === 'sender'
        ? {
            fr: [
              `Tous les signataires ont signé « ${subject} », ` +
                'mais le document certifié ' +
                'n’a pas pu être produit.',
              'Ce n’est pas une erreur temporaire : la finalisation ne sera pas ' +
                'relancée automatiquement. Les signatures restent enregistrées et notre ' +
                'équipe a été alertée ; elle vous contactera. Les signataires ont été prévenus.',
            ],
            en: [
              `Everyone has signed "${subject}", but the certified document could not be produced.`,
              'This is not a temporary error: finalization will not be retried ' +
                'automatically. The signatures remain recorded and our team has been ' +
                'alerted; it will contact you. The signers have been told.',
            ],
          }
        : {
            fr: [
              `Vous avez signé « ${subject} » (demande ` +
                `de ${envelope.sender.name || envelope.sender.email}), mais le document ` +
                'certifié n’a pas pu être produit.',
              'Votre signature reste enregistrée. Vous ne recevrez pas le document ' +
                'signé pour le moment : l’expéditeur a été prévenu.',
            ],
            en: [
              `You signed "${subject}" (requested ` +
                `by ${envelope.sender.name || envelope.sender.email}), but the certified ` +
                'document could not be produced.',
              'Your signature remains recorded. You will not receive the signed ' +
                'document for now: the sender has been told.',
            ],
          };
  const raw = await composeServiceMail({
    from: { name: deps.settings.serviceName, address: deps.settings.serviceAddress },
    to: [to],
    ...(role === 'sender' && { envelopeId: envelope.id }),
    subject:
      kind === 'temporary'
        ? { fr: `Finalisation retardée : ${subject}`, en: 'Finalization delayed' }
        : { fr: `Finalisation impossible : ${subject}`, en: 'Finalization failed' },
    paragraphs,
    date: deps.clock.now(),
  });
  await deps.mailer.send({ from: deps.settings.serviceAddress, to: [to.address], raw });
}
