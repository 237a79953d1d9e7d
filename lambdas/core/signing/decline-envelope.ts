// POST /api/signing/decline: a pending signer refuses with a reason and the envelope stops.
// Any pending signer may decline, not only the one whose turn it is: someone who already knows
// they will not sign should not make the earlier signers sign for nothing.
import { recordAuditEvent } from '../audit/audit-events.ts';
import type { Deps } from '../deps.ts';
import { ConditionFailedError, DomainError } from '../errors.ts';
import { committedSignatureAttribute, envelopeKey, listSigners, signerKey } from '../envelopes/envelope-records.ts';
import { assertCanAct, explainLostRace, loadSigningContext } from './signing-context.ts';
import { sendDeclinedMail } from './signing-mails.ts';

export const MAX_REASON_LENGTH = 1000;

export type DeclineEnvelopeOptions = { deps: Deps; token: string | undefined; reason: unknown };
export type DeclineEnvelopeResult = { status: 'declined'; undelivered: number };

export async function declineEnvelope({
  deps,
  token,
  reason: input,
}: DeclineEnvelopeOptions): Promise<DeclineEnvelopeResult> {
  const context = await loadSigningContext({ deps, token });
  assertCanAct(context, { turnRequired: false });
  const reason = typeof input === 'string' ? input.trim() : '';
  if (reason.length === 0 || reason.length > MAX_REASON_LENGTH) {
    throw new DomainError({
      code: 'REASON_REQUIRED',
      message: `Say in a few words why you decline (at most ${MAX_REASON_LENGTH} characters).`,
      details: { maxLength: MAX_REASON_LENGTH },
    });
  }
  const { envelope, signer } = context;
  const at = deps.clock.now().toISOString();
  // Same order as a signature: claim the signer first (a signer cannot both sign and decline),
  // then close the envelope only if it is still open.
  try {
    await deps.store.update(signerKey(envelope.id, signer.position), {
      set: { status: 'declined', declinedAt: at, declineReason: reason },
      expect: { status: 'pending' },
    });
  } catch (error) {
    if (error instanceof ConditionFailedError) await explainLostRace(deps, context, error);
    throw error;
  }
  try {
    await deps.store.update(envelopeKey(envelope.id), {
      set: { status: 'declined', declineReason: reason, declinedAt: at },
      expect: { status: 'signing' },
      // A signature of this signer committed meanwhile (its record not yet caught up) wins.
      expectMissing: [committedSignatureAttribute(signer.position)],
    });
  } catch (error) {
    await deps.store.update(signerKey(envelope.id, signer.position), {
      set: { status: 'pending' },
      remove: ['declinedAt', 'declineReason'],
      expect: { status: 'declined', declinedAt: at },
    });
    if (error instanceof ConditionFailedError) await explainLostRace(deps, context, error);
    throw error;
  }
  await recordAuditEvent({
    ...deps,
    event: { type: 'signer.declined', envelopeId: envelope.id, position: signer.position, data: { reason } },
  });

  const signers = await listSigners(deps.store, envelope.id);
  const recipients = [
    { name: envelope.sender.name, address: envelope.sender.email },
    ...signers
      .filter((other) => other.position !== signer.position)
      .map((other) => ({ name: other.name, address: other.email })),
  ];
  const sent = await Promise.allSettled(
    recipients.map((to) => sendDeclinedMail(deps, { envelope, decliner: signer, reason, to })),
  );
  return { status: 'declined', undelivered: sent.filter((result) => result.status === 'rejected').length };
}
