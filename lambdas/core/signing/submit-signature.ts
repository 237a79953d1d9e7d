// POST /api/signing/signature: records one signer's signature and moves the turn, all before the
// answer, through conditional writes (claim the signer, then advance the envelope from exactly
// this position) so concurrent submits cannot both win nor skip the order. Then mails follow.
import { createHash } from 'node:crypto';
import { recordAuditEvent } from '../audit/audit-events.ts';
import { chargeSignature, type SignatureCharge } from '../billing/charge-signature.ts';
import { warnLowBalance } from '../billing/low-balance-warning.ts';
import type { Deps } from '../deps.ts';
import { ConditionFailedError, DomainError } from '../errors.ts';
import {
  envelopeKey,
  getSigner,
  signerKey,
  type Envelope,
  type SigningEvidence,
} from '../envelopes/envelope-records.ts';
import { maskPhone } from '../phone/phone-numbers.ts';
import { issueToken } from '../tokens/link-tokens.ts';
import { parsePlacements, parseSignatureImage } from './signature-input.ts';
import { assertCanAct, explainLostRace, loadSigningContext, type SigningContext } from './signing-context.ts';
import { sendProgressMail, sendYourTurnMail } from './signing-mails.ts';

export type ClientInfo = { ip: string; userAgent: string };
export type SubmitSignatureInput = { image?: unknown; placements?: unknown; consent?: unknown };
export type SubmitSignatureOptions = {
  deps: Deps;
  token: string | undefined;
  input: SubmitSignatureInput;
  client: ClientInfo;
};
export type SubmitSignatureResult = {
  status: 'signed';
  finalizing: boolean;
  /** Notifications that could not be sent (the signature stands): for the handler to report. */
  undelivered: Array<'next-signer' | 'sender'>;
  /** The billing decision; 'failed' when the store failed (the signature stands, the charge is missing). */
  charge: SignatureCharge | { state: 'failed'; error: unknown };
};

/** What the audit page proves: besides the design's evidence, the verified phone and the image hash. */
export type SignerEvidence = SigningEvidence & { phone: string; phoneVerifiedAt: string; imageSha256: string };

export const signatureImageKey = (envelopeId: string, position: number) =>
  `envelopes/${envelopeId}/signatures/${position}.png`;

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

export async function submitSignature({
  deps,
  token,
  input,
  client,
}: SubmitSignatureOptions): Promise<SubmitSignatureResult> {
  const context = await loadSigningContext({ deps, token });
  assertCanAct(context, { turnRequired: true });
  const { envelope, signer } = context;
  if (!signer.phone || !signer.phoneVerifiedAt) {
    throw new DomainError({
      code: 'PHONE_NOT_VERIFIED',
      message: 'Confirm your mobile number with the code sent by SMS first.',
    });
  }
  if (input.consent !== true) {
    throw new DomainError({
      code: 'CONSENT_REQUIRED',
      message: 'Tick the box to agree to sign these documents electronically.',
    });
  }
  const image = parseSignatureImage(input.image);
  const placements = parsePlacements(input.placements, envelope.documents);

  const at = deps.clock.now().toISOString();
  const imageKey = signatureImageKey(envelope.id, signer.position);
  const evidence: SignerEvidence = {
    at,
    ip: client.ip,
    userAgent: client.userAgent,
    consent: true,
    documentHashes: Object.fromEntries(envelope.documents.map((document) => [document.id, document.sha256])),
    phone: signer.phone,
    phoneVerifiedAt: signer.phoneVerifiedAt,
    imageSha256: sha256(image.bytes),
  };
  try {
    await deps.store.update(signerKey(envelope.id, signer.position), {
      set: { status: 'signed', signedAt: at, imageKey, placements, evidence },
      expect: { status: 'pending', phoneVerifiedAt: signer.phoneVerifiedAt },
    });
  } catch (error) {
    if (error instanceof ConditionFailedError) await explainLostRace(deps, context, error);
    throw error;
  }
  // The image is written once the signer is ours, so the stored image is the winner's.
  const last = signer.position === envelope.signerCount;
  try {
    await deps.documents.put({ key: imageKey, body: image.bytes, contentType: 'image/png' });
    await deps.store.update(envelopeKey(envelope.id), {
      set: { currentPosition: signer.position + 1, ...(last && { status: 'finalizing' }) },
      expect: { currentPosition: signer.position, status: 'signing' },
    });
  } catch (error) {
    await releaseSigner(deps, context, at);
    if (error instanceof ConditionFailedError) await explainLostRace(deps, context, error);
    throw error;
  }

  // Charged once the signature stands (the turn moved): exactly once per signature, see chargeSignature.
  const charge = await chargeSignature({
    ...deps,
    email: envelope.sender.email,
    envelopeId: envelope.id,
    position: signer.position,
    at,
  }).catch((error: unknown) => ({ state: 'failed' as const, error }));
  // Advisory: a warning that cannot be sent never undoes the signature.
  if (charge.state === 'decided')
    await warnLowBalance({ deps, email: envelope.sender.email, charge }).catch(() => false);
  await recordAuditEvent({
    ...deps,
    event: {
      type: 'signer.signed',
      envelopeId: envelope.id,
      position: signer.position,
      data: { ...evidence, phone: maskPhone(evidence.phone), placements: placements.length },
    },
  });
  if (last) {
    await recordAuditEvent({ ...deps, event: { type: 'envelope.finalizing', envelopeId: envelope.id } });
    await deps.workflow.startFinalization({ envelopeId: envelope.id });
  }
  return { status: 'signed', finalizing: last, undelivered: await notifyAfterSignature(deps, context, last), charge };
}

/** Undoes the claim when the turn could not move (declined or expired meanwhile, or a store error). */
async function releaseSigner(deps: Deps, { envelope, signer }: SigningContext, signedAt: string): Promise<void> {
  await deps.store.update(signerKey(envelope.id, signer.position), {
    set: { status: 'pending' },
    remove: ['signedAt', 'imageKey', 'placements', 'evidence'],
    expect: { status: 'signed', signedAt },
  });
}

async function notifyAfterSignature(
  deps: Deps,
  { envelope, signer }: SigningContext,
  last: boolean,
): Promise<SubmitSignatureResult['undelivered']> {
  const [next, sender] = await Promise.allSettled([
    last ? Promise.resolve() : notifyNextSigner(deps, envelope, signer.position + 1),
    sendProgressMail(deps, { envelope, signer }),
  ]);
  return [
    ...(next.status === 'rejected' ? ['next-signer' as const] : []),
    ...(sender.status === 'rejected' ? ['sender' as const] : []),
  ];
}

async function notifyNextSigner(deps: Deps, envelope: Envelope, position: number): Promise<void> {
  const next = await getSigner(deps.store, envelope.id, position);
  if (!next) throw new Error(`Signer ${position} of envelope ${envelope.id} is missing`);
  const { token } = await issueToken({
    ...deps,
    kind: 'signing',
    ttlSeconds: deps.settings.linkTtlDays * 86_400,
    envelopeId: envelope.id,
    position,
  });
  await sendYourTurnMail(deps, { envelope, signer: next, token });
  await recordAuditEvent({
    ...deps,
    event: { type: 'signer.notified', envelopeId: envelope.id, position, data: { reason: 'turn' } },
  });
}
