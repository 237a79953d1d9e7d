// What follows a committed signature (the one conditional write that marked it and moved the
// turn), as idempotent steps that the submit itself, a retry or the sweep completes:
//   signer record brought up to date -> audit events (fixed time and key) -> finalization started
//   (exactly once per envelope: the run name) -> at once, the charge (exactly once: core/billing)
//   and "your turn" to the next signer and progress to the sender, each sent once -> index cleared.
// Mails are at-least-once, like intake's: a NOTICE# mark is written right after the mailer
// accepted the mail; a crash in between resends it once with the same Message-ID.
// The index PENDING-SIGNATURES / <envelope>#<position> is written BEFORE the commit, so a crash
// anywhere after it leaves an entry the sweep finds (the local stack at start, the daily job).
import { createHash } from 'node:crypto';
import { recordAuditEvent } from '../audit/audit-events.ts';
import { chargeSignature, type SignatureCharge } from '../billing/charge-signature.ts';
import { warnLowBalance } from '../billing/low-balance-warning.ts';
import { settlePendingCharge } from '../billing/settle-pending-charge.ts';
import type { Deps } from '../deps.ts';
import type { StoreItem } from '../ports.ts';
import { ConditionFailedError, RecordInvalidError } from '../errors.ts';
import {
  committedSignature,
  getEnvelope,
  getSigner,
  getSignerOf,
  signerFromItem,
  signerKey,
  type Envelope,
  type Signer,
} from '../envelopes/envelope-records.ts';
import { markFinalizing } from '../finalize/finalization-index.ts';
import { maskPhone } from '../phone/phone-numbers.ts';
import { issueToken } from '../tokens/link-tokens.ts';
import { sendProgressMail, sendYourTurnMail } from './signing-mails.ts';

const PENDING_PK = 'PENDING-SIGNATURES';
const pendingKey = (envelopeId: string, position: number) => ({
  pk: PENDING_PK,
  sk: `${envelopeId}#${String(position).padStart(2, '0')}`,
});
const noticeKey = (envelopeId: string, step: string) => ({ pk: `ENV#${envelopeId}`, sk: `NOTICE#${step}` });
/** Older than the signing API's timeout: the submit that wrote it is over. */
export const STALE_SIGNATURE_MS = 60_000;

export async function markSignaturePending(deps: Deps, envelopeId: string, position: number): Promise<void> {
  await deps.store.put({
    ...pendingKey(envelopeId, position),
    kind: 'pending-signature',
    envelopeId,
    position,
    since: deps.clock.now().getTime(),
  });
}

export type SignatureEffectsResult = {
  finalizing: boolean;
  undelivered: Array<'next-signer' | 'sender'>;
  charge: SignatureCharge | { state: 'failed'; error: unknown };
};

/** What the caller already has: the envelope as its commit returned it (the submit itself). */
export type KnownSignatureState = { envelope?: Envelope };

/** Completes what follows signer `position`'s committed signature; safe to run any number of times. */
export async function completeSignatureEffects(
  deps: Deps,
  envelopeId: string,
  position: number,
  known: KnownSignatureState = {},
): Promise<SignatureEffectsResult | undefined> {
  const envelope = known.envelope ?? (await getEnvelope(deps.store, envelopeId));
  const committed = committedSignature(envelope, position);
  if (!envelope || !committed) {
    // The commit never happened (lost a race, or died before it): nothing follows.
    await deps.store.delete(pendingKey(envelopeId, position));
    return undefined;
  }
  // The update's result is the signer as it now stands; read only when an earlier run updated it.
  let updated: StoreItem | undefined;
  try {
    updated = await deps.store.update(signerKey(envelopeId, position), {
      set: { status: 'signed', ...committed },
      expect: { status: 'pending' },
    });
  } catch (error) {
    if (!(error instanceof ConditionFailedError)) throw error;
  }
  const signer = updated ? signerFromItem(updated) : ((await getSigner(deps.store, envelopeId, position)) as Signer);
  const last = position === envelope.signerCount;
  const { evidence } = committed;
  const phone = (evidence as { phone?: string }).phone;
  // Each once by its fixed time and key, so written at once; all before the finalization starts
  // (its index first: a run is always found by the resume).
  await Promise.all([
    recordAuditEvent({
      ...deps,
      event: {
        type: 'signer.signed',
        envelopeId,
        position,
        data: { ...evidence, ...(phone && { phone: await maskPhone(phone) }), placements: committed.placements.length },
      },
      once: { at: committed.signedAt, key: `signed-${position}` },
    }),
    ...(last
      ? [
          recordAuditEvent({
            ...deps,
            event: { type: 'envelope.finalizing', envelopeId },
            once: { at: committed.signedAt, key: 'finalizing' },
          }),
          markFinalizing(deps, envelopeId),
        ]
      : []),
  ]);
  if (last) await deps.workflow.startFinalization({ envelopeId });
  // Charged once the signature stands, exactly once per signature (see chargeSignature), and after
  // the finalization has started: it does not wait on billing (Complete settles a charge left
  // pending or never started, and chargeSignature stays exactly once whoever runs first). A
  // charge a crash left pending is settled here too once stale (settlePendingCharge holds the rules).
  // The charge and the mails are independent, each once by its own marker: run at once, the
  // signer waits for the slower, not the sum.
  const chargeOptions = { ...deps, email: envelope.sender.email, envelopeId, position, at: committed.signedAt };
  const charging = chargeSignature(chargeOptions)
    .then(async (first): Promise<SignatureEffectsResult['charge']> => {
      if (first.state === 'decided') return first;
      const settled = await settlePendingCharge(chargeOptions);
      return settled.outcome === 'settled' || settled.outcome === 'decided' ? settled.charge : first;
    })
    .catch((error: unknown) => ({ state: 'failed' as const, error }))
    .then(async (charge) => {
      // Advisory, and once per crossing debit (its own marker): a warning that cannot be sent never
      // undoes the signature, and a resumed run does not warn twice.
      if (charge.state === 'decided')
        await warnLowBalance({ deps, email: envelope.sender.email, charge }).catch(() => false);
      return charge;
    });
  const notifying = Promise.allSettled([
    last
      ? Promise.resolve()
      : notifyOnce(deps, envelope, `turn-${position + 1}`, (messageId) =>
          notifyNextSigner(deps, envelope, position + 1, messageId),
        ),
    notifyOnce(deps, envelope, `progress-${position}`, (messageId) =>
      sendProgressMail(deps, { envelope, signer, messageId }),
    ),
  ]);
  const [charge, [next, sender]] = await Promise.all([charging, notifying]);
  const undelivered = [
    ...(next.status === 'rejected' ? ['next-signer' as const] : []),
    ...(sender.status === 'rejected' ? ['sender' as const] : []),
  ];
  if (undelivered.length === 0 && charge.state === 'decided') {
    await deps.store.delete(pendingKey(envelopeId, position));
  }
  return { finalizing: last, undelivered, charge };
}

async function notifyOnce(
  deps: Deps,
  envelope: Envelope,
  step: string,
  send: (messageId: string) => Promise<void>,
): Promise<void> {
  if (await deps.store.get(noticeKey(envelope.id, step))) return;
  const hash = createHash('sha256').update(`${envelope.id}\u0000${step}`).digest('hex').slice(0, 24);
  await send(`<${step}.${hash}@mailsign>`);
  await deps.store.put({ ...noticeKey(envelope.id, step), kind: 'notice', sentAt: deps.clock.now().toISOString() });
}

async function notifyNextSigner(deps: Deps, envelope: Envelope, position: number, messageId: string): Promise<void> {
  const next = await getSignerOf(deps.store, envelope, position);
  if (!next)
    throw new RecordInvalidError({
      record: 'signer',
      message: `signer ${position} of envelope ${envelope.id} is missing`,
    });
  const { token } = await issueToken({
    ...deps,
    kind: 'signing',
    ttlSeconds: deps.settings.linkTtlDays * 86_400,
    envelopeId: envelope.id,
    position,
  });
  await sendYourTurnMail(deps, { envelope, signer: next, token, messageId });
  await recordAuditEvent({
    ...deps,
    event: { type: 'signer.notified', envelopeId: envelope.id, position, data: { reason: 'turn' } },
  });
}

export type SweepPendingSignaturesOptions = { deps: Deps; ignoreAge?: boolean };

/** Completes the effects of signatures whose submit died or could not finish them. */
export async function sweepPendingSignatures({ deps, ignoreAge }: SweepPendingSignaturesOptions): Promise<number> {
  const now = deps.clock.now().getTime();
  let completed = 0;
  for (const item of await deps.store.query(PENDING_PK)) {
    if (!ignoreAge && now - Number(item.since) < STALE_SIGNATURE_MS) continue;
    const result = await completeSignatureEffects(deps, String(item.envelopeId), Number(item.position)).catch(
      () => undefined,
    );
    if (result) completed += 1;
  }
  return completed;
}
