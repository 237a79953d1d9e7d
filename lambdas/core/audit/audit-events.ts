// The audit trail of an envelope: append-only events, read back in time order for the audit page.
import type { Clock, Random, Store } from '../ports.ts';

export type AuditEventType =
  | 'envelope.created'
  | 'signer.notified'
  | 'document.viewed'
  | 'otp.sent'
  | 'otp.verified'
  | 'otp.failed'
  | 'signer.signed'
  | 'signer.declined'
  | 'envelope.finalizing'
  | 'envelope.completed'
  | 'envelope.failed'
  | 'envelope.expired'
  | 'envelope.cancelled';

export type AuditEvent = {
  at: string;
  type: AuditEventType;
  envelopeId: string;
  position?: number;
  /** Facts without secrets: never a code, token or full phone number. */
  data?: Record<string, unknown>;
};

export type RecordAuditEventOptions = {
  store: Store;
  clock: Clock;
  random: Random;
  event: Omit<AuditEvent, 'at'>;
  /** For a step that may run again after a crash: a fixed time and key make the write idempotent. */
  once?: { at: string; key: string };
};

export async function recordAuditEvent(options: RecordAuditEventOptions): Promise<AuditEvent> {
  const at = options.once?.at ?? options.clock.now().toISOString();
  const suffix = options.once?.key ?? Buffer.from(options.random.bytes(6)).toString('hex');
  const event: AuditEvent = { at, ...options.event };
  await options.store.put({ pk: `ENV#${event.envelopeId}`, sk: `EVENT#${at}#${suffix}`, kind: 'audit', ...event });
  return event;
}

export async function listAuditEvents(options: { store: Store; envelopeId: string }): Promise<AuditEvent[]> {
  const items = await options.store.query(`ENV#${options.envelopeId}`, { skPrefix: 'EVENT#' });
  return items.map(({ pk: _pk, sk: _sk, kind: _kind, ...rest }) => rest as unknown as AuditEvent);
}
