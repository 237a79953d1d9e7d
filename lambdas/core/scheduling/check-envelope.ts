// The scheduled check of one open envelope: the automatic reminders of the signer whose turn it
// is (MAILSIGN_REMIND_AFTER_DAYS after their turn began, and again after twice that) and the
// expiry (the envelope becomes 'expired'; the sender and the pending signers are told).
// Each effect is claimed by a conditional write before it happens, so overlapping or repeated
// sweeps send each reminder and each expiry notice once. The check plans its own next run.
import { recordAuditEvent } from '../audit/audit-events.ts';
import type { Deps } from '../deps.ts';
import { envelopeKey, getEnvelope, listSigners, type Envelope } from '../envelopes/envelope-records.ts';
import { ConditionFailedError, isDomainError } from '../errors.ts';
import { sendExpiredMails } from '../sender-controls/control-mails.ts';
import { remindSigner } from '../sender-controls/remind-signer.ts';
import type { ControlledEnvelope } from '../sender-controls/sender-envelopes.ts';
import { DEFAULT_REMIND_AFTER_DAYS } from '../settings.ts';
import { scheduleJob } from './due-jobs.ts';

const DAY_MS = 86_400_000;
export const AUTOMATIC_REMINDERS = 2;

export type EnvelopeCheckAction =
  | { job: 'reminder'; envelopeId: string; position: number }
  | { job: 'reminder-skipped'; envelopeId: string; position: number; reason: string }
  | { job: 'expiry'; envelopeId: string; notified: number };

export type CheckEnvelopeResult = { actions: EnvelopeCheckAction[]; nextCheckAt?: string };

const remindAfterMs = (deps: Deps) => (deps.settings.remindAfterDays ?? DEFAULT_REMIND_AFTER_DAYS) * DAY_MS;

/** The first check of a new envelope (called by intake once the envelope exists). */
export async function scheduleEnvelopeChecks(options: { deps: Deps; envelope: Envelope }): Promise<void> {
  const { deps, envelope } = options;
  const first = Math.min(Date.parse(envelope.createdAt) + remindAfterMs(deps), Date.parse(envelope.expiresAt));
  await scheduleJob({ store: deps.store, kind: 'envelope-check', subject: envelope.id, dueAt: new Date(first) });
}

export async function checkEnvelope(options: {
  deps: Deps;
  envelopeId: string;
  /** When this check was due: the next one is planned from it, so two sweeps plan the same one. */
  dueAt: Date;
}): Promise<CheckEnvelopeResult> {
  const { deps, envelopeId } = options;
  const envelope = (await getEnvelope(deps.store, envelopeId)) as ControlledEnvelope | undefined;
  if (!envelope) return { actions: [] };
  const now = deps.clock.now();
  if (
    envelope.status === 'expired' ||
    (envelope.status === 'signing' && Date.parse(envelope.expiresAt) <= now.getTime())
  ) {
    return { actions: await expireEnvelope(deps, envelope) };
  }
  if (envelope.status !== 'signing') return { actions: [] };

  const signers = await listSigners(deps.store, envelopeId);
  const position = envelope.currentPosition;
  const previous = signers.find((s) => s.position === position - 1);
  const turnBegan = Date.parse((position > 1 && previous?.signedAt) || envelope.createdAt);
  const interval = remindAfterMs(deps);
  const dueReminders = Array.from({ length: AUTOMATIC_REMINDERS }, (_, i) => i + 1).filter(
    (n) => turnBegan + n * interval <= now.getTime(),
  );
  const actions: EnvelopeCheckAction[] = [];
  // Claim every reminder now due (a late sweep owes one reminder, not two in a row), send once.
  let claimed = false;
  for (const n of dueReminders) claimed = (await claimReminder(deps, envelopeId, position, n)) || claimed;
  if (claimed) actions.push(await sendAutomaticReminder(deps, envelope, position));

  // Next: the next reminder of this turn, the expiry, or one interval on (a turn that begins
  // before then has its first reminder after it), whichever is first.
  const upcoming = Array.from({ length: AUTOMATIC_REMINDERS }, (_, i) => turnBegan + (i + 1) * interval).filter(
    (t) => t > now.getTime(),
  );
  const next = Math.min(
    ...upcoming,
    Date.parse(envelope.expiresAt),
    Math.max(options.dueAt.getTime(), turnBegan) + interval,
  );
  const nextCheckAt = new Date(Math.max(next, now.getTime() + 1000));
  await scheduleJob({ store: deps.store, kind: 'envelope-check', subject: envelopeId, dueAt: nextCheckAt });
  return { actions, nextCheckAt: nextCheckAt.toISOString() };
}

async function claimReminder(deps: Deps, envelopeId: string, position: number, n: number): Promise<boolean> {
  try {
    await deps.store.put(
      {
        pk: `ENV#${envelopeId}`,
        sk: `AUTOREMIND#${String(position).padStart(2, '0')}#${n}`,
        kind: 'auto-reminder',
        at: deps.clock.now().toISOString(),
      },
      { ifNotExists: true },
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionFailedError) return false;
    throw error;
  }
}

async function sendAutomaticReminder(
  deps: Deps,
  envelope: ControlledEnvelope,
  position: number,
): Promise<EnvelopeCheckAction> {
  try {
    await remindSigner({ deps, envelope, trigger: 'automatic' });
    return { job: 'reminder', envelopeId: envelope.id, position };
  } catch (error) {
    // A reminder the sender asked for less than 24 h ago counts: no second one now.
    if (isDomainError(error, 'REMIND_THROTTLED') || isDomainError(error, 'ENVELOPE_CLOSED')) {
      return { job: 'reminder-skipped', envelopeId: envelope.id, position, reason: error.code };
    }
    throw error;
  }
}

/** Marks the envelope expired (if the signing page has not already) and tells people, once. */
async function expireEnvelope(deps: Deps, envelope: ControlledEnvelope): Promise<EnvelopeCheckAction[]> {
  const at = deps.clock.now().toISOString();
  if (envelope.status === 'signing') {
    try {
      await deps.store.update(envelopeKey(envelope.id), { set: { status: 'expired' }, expect: { status: 'signing' } });
      await recordAuditEvent({ ...deps, event: { type: 'envelope.expired', envelopeId: envelope.id } });
    } catch (error) {
      if (!(error instanceof ConditionFailedError)) throw error;
    }
  }
  try {
    await deps.store.update(envelopeKey(envelope.id), {
      set: { expiryNotifiedAt: at },
      expect: { status: 'expired' },
      expectMissing: ['expiryNotifiedAt'],
    });
  } catch (error) {
    // Already told, or the status changed (signed, declined, cancelled) just before the expiry.
    if (error instanceof ConditionFailedError) return [];
    throw error;
  }
  const signers = await listSigners(deps.store, envelope.id);
  const undelivered = await sendExpiredMails(deps, { envelope: { ...envelope, status: 'expired' }, signers });
  return [
    {
      job: 'expiry',
      envelopeId: envelope.id,
      notified: signers.filter((s) => s.status === 'pending').length + 1 - undelivered,
    },
  ];
}
