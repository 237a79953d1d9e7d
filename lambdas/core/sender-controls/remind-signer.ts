// A reminder to the signer whose turn it is, with a fresh signing link (links are stored hashed,
// so the first one cannot be sent again). At most one reminder per envelope per 24 hours, whoever
// asks (the sender by mail or in the area, or the automatic schedule): the envelope's
// `lastReminderAt` is moved by one conditional write, so two concurrent asks send one reminder.
import { recordAuditEvent } from '../audit/audit-events.ts';
import type { Deps } from '../deps.ts';
import { envelopeKey, getEnvelope, getSigner, type Signer } from '../envelopes/envelope-records.ts';
import { ConditionFailedError, DomainError } from '../errors.ts';
import { issueToken } from '../tokens/link-tokens.ts';
import { sendReminderMail } from './control-mails.ts';
import { envelopeClosedError, isEnvelopeOpen, type ControlledEnvelope } from './sender-envelopes.ts';

export const REMIND_INTERVAL_MS = 24 * 3_600_000;

export type RemindSignerOptions = { deps: Deps; envelope: ControlledEnvelope; trigger: 'mail' | 'area' | 'automatic' };
export type RemindSignerResult = { status: 'sent'; signer: Pick<Signer, 'position' | 'name' | 'email'>; at: string };

function throttled(lastReminderAt: string, now: Date): DomainError {
  const nextAt = new Date(Date.parse(lastReminderAt) + REMIND_INTERVAL_MS);
  return new DomainError({
    code: 'REMIND_THROTTLED',
    message: 'A reminder was sent less than 24 hours ago. Try again later.',
    details: {
      retryAfter: Math.max(1, Math.ceil((nextAt.getTime() - now.getTime()) / 1000)),
      nextReminderAt: nextAt.toISOString(),
    },
  });
}

export async function remindSigner({ deps, envelope, trigger }: RemindSignerOptions): Promise<RemindSignerResult> {
  const now = deps.clock.now();
  if (!isEnvelopeOpen(envelope, now)) throw envelopeClosedError(envelope, now);
  const last = envelope.lastReminderAt;
  if (last && now.getTime() - Date.parse(last) < REMIND_INTERVAL_MS) throw throttled(last, now);
  const position = envelope.currentPosition;
  const signer = await getSigner(deps.store, envelope.id, position);
  if (signer?.status !== 'pending') throw envelopeClosedError(envelope, now);
  const at = now.toISOString();
  try {
    await deps.store.update(envelopeKey(envelope.id), {
      set: { lastReminderAt: at },
      expect: { status: 'signing', currentPosition: position, ...(last && { lastReminderAt: last }) },
      ...(!last && { expectMissing: ['lastReminderAt'] }),
    });
  } catch (error) {
    if (!(error instanceof ConditionFailedError)) throw error;
    // Someone reminded, signed, declined or cancelled meanwhile: say what now applies.
    const fresh = ((await getEnvelope(deps.store, envelope.id)) ?? envelope) as ControlledEnvelope;
    if (!isEnvelopeOpen(fresh, now)) throw Object.assign(envelopeClosedError(fresh, now), { cause: error });
    if (fresh.lastReminderAt && fresh.lastReminderAt !== last) throw throttled(fresh.lastReminderAt, now);
    return remindSigner({ deps, envelope: fresh, trigger });
  }
  const { token } = await issueToken({
    ...deps,
    kind: 'signing',
    ttlSeconds: Math.max(60, Math.floor((Date.parse(envelope.expiresAt) - now.getTime()) / 1000)),
    envelopeId: envelope.id,
    position,
  });
  await sendReminderMail(deps, { envelope, signer, token });
  await recordAuditEvent({
    ...deps,
    event: { type: 'signer.notified', envelopeId: envelope.id, position, data: { reason: 'reminder', trigger } },
  });
  return { status: 'sent', signer: { position, name: signer.name, email: signer.email }, at };
}
