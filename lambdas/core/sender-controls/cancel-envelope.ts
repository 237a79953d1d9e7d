// Cancelling an envelope (by mail `*CANCEL` or from the customer area). One conditional write
// decides: the envelope moves from 'signing' to 'cancelled' only if it is still 'signing', the same
// condition the turn-moving write of a signature holds, so a cancel racing the last signature
// has exactly one winner: either the envelope is finalizing (the cancel is refused) or cancelled
// (the signature is refused with ENVELOPE_CLOSED, before any charge).
import { recordAuditEvent } from '../audit/audit-events.ts';
import type { Deps } from '../deps.ts';
import { envelopeKey, getEnvelope, listSigners } from '../envelopes/envelope-records.ts';
import { ConditionFailedError } from '../errors.ts';
import { sendCancelledMail, sendWithdrawnMail } from './control-mails.ts';
import { envelopeClosedError, isEnvelopeOpen, type ControlledEnvelope } from './sender-envelopes.ts';

export type CancelEnvelopeOptions = { deps: Deps; envelope: ControlledEnvelope; by: 'mail' | 'area' };
export type CancelEnvelopeResult = { status: 'cancelled'; withdrawnFrom: number; undelivered: number };

export async function cancelEnvelope({ deps, envelope, by }: CancelEnvelopeOptions): Promise<CancelEnvelopeResult> {
  const now = deps.clock.now();
  if (!isEnvelopeOpen(envelope, now)) throw envelopeClosedError(envelope, now);
  const at = now.toISOString();
  try {
    await deps.store.update(envelopeKey(envelope.id), {
      set: { status: 'cancelled', cancelledAt: at },
      expect: { status: 'signing' },
    });
  } catch (error) {
    if (!(error instanceof ConditionFailedError)) throw error;
    const fresh = (await getEnvelope(deps.store, envelope.id)) ?? envelope;
    throw Object.assign(envelopeClosedError(fresh, now), { cause: error });
  }
  await recordAuditEvent({ ...deps, event: { type: 'envelope.cancelled', envelopeId: envelope.id, data: { by } } });
  const cancelled = { ...envelope, status: 'cancelled' as const, cancelledAt: at };
  const signers = await listSigners(deps.store, envelope.id);
  const pending = signers.filter((signer) => signer.status === 'pending');
  const sent = await Promise.allSettled([
    ...pending.map((signer) => sendWithdrawnMail(deps, { envelope: cancelled, signer })),
    sendCancelledMail(deps, { envelope: cancelled, signers }),
  ]);
  return {
    status: 'cancelled',
    withdrawnFrom: pending.length,
    undelivered: sent.filter((result) => result.status === 'rejected').length,
  };
}
