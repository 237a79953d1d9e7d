// Step "NotifyFailure": the envelope is left visibly `failed` (an operator can restart
// finalization) and the sender is told, without technical details.
import { recordAuditEvent } from '../audit/audit-events.ts';
import type { Deps } from '../deps.ts';
import { envelopeKey, getEnvelope } from '../envelopes/envelope-records.ts';
import { composeServiceMail } from '../mail/compose-mail.ts';
import type { FailureInput } from './finalize-types.ts';

export type NotifyFinalizationFailureOptions = { deps: Deps } & FailureInput;

export async function notifyFinalizationFailure({
  deps,
  envelopeId,
  error,
}: NotifyFinalizationFailureOptions): Promise<{ envelopeId: string; status: 'failed' | 'unchanged' }> {
  const envelope = await getEnvelope(deps.store, envelopeId);
  // A completed envelope (e.g. a duplicate run) stays completed.
  if (!envelope || envelope.status === 'completed') return { envelopeId, status: 'unchanged' };
  const reason = `${error?.Error ?? 'Error'}: ${(error?.Cause ?? '').slice(0, 500)}`;
  if (envelope.status !== 'failed') {
    await deps.store.update(envelopeKey(envelopeId), { set: { status: 'failed', failureReason: reason } });
    await recordAuditEvent({
      store: deps.store,
      clock: deps.clock,
      random: deps.random,
      event: { type: 'envelope.failed', envelopeId, data: { error: error?.Error ?? 'Error' } },
    });
    const raw = await composeServiceMail({
      from: { name: deps.settings.serviceName, address: deps.settings.serviceAddress },
      to: [{ name: envelope.sender.name, address: envelope.sender.email }],
      envelopeId: envelope.id,
      subject: { fr: `Finalisation retardée : ${envelope.subject}`, en: 'Finalization delayed' },
      paragraphs: {
        fr: [
          `Tous les signataires ont signé « ${envelope.subject} », mais la production du document certifié a échoué.`,
          "Les signatures sont enregistrées et rien n'est perdu : notre équipe relance la finalisation et vous recevrez les documents dès qu'elle aboutit.",
        ],
        en: [
          `Everyone has signed "${envelope.subject}", but producing the certified document failed.`,
          'The signatures are recorded and nothing is lost: our team is restarting finalization and you will receive the documents as soon as it succeeds.',
        ],
      },
      date: deps.clock.now(),
    });
    await deps.mailer.send({ from: deps.settings.serviceAddress, to: [envelope.sender.email], raw });
  }
  return { envelopeId, status: 'failed' };
}
