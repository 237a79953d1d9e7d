// POST /api/signing/signature: records one signer's signature and moves the turn in ONE conditional
// write on the envelope (from exactly this position, while signing), so concurrent submits cannot
// both win nor skip the order, and a crash at any point leaves either nothing or a signature whose
// turn has moved. What follows (signer record, charge, audit, mails, finalization) is idempotent
// and completed by this call, a retry or the sweep (signature-effects.ts).
import { createHash } from 'node:crypto';
import type { SignatureCharge } from '../billing/charge-signature.ts';
import type { Deps } from '../deps.ts';
import { ConditionFailedError, DomainError } from '../errors.ts';
import type { StoreItem } from '../ports.ts';
import {
  committedSignatureAttribute,
  envelopeFromItem,
  envelopeKey,
  type CommittedSignature,
  type SigningEvidence,
} from '../envelopes/envelope-records.ts';
import { completeSignatureEffects, markSignaturePending } from './signature-effects.ts';
import { parsePlacements, parseSignatureImage } from './signature-input.ts';
import { assertCanAct, explainLostRace, loadSigningContext } from './signing-context.ts';

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

/** Named after the image's hash: each submit's image has a key of its own. */
export const signatureImageKey = (envelopeId: string, position: number, imageSha256: string) =>
  `envelopes/${envelopeId}/signatures/${position}-${imageSha256.slice(0, 16)}.png`;

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
  const imageSha256 = sha256(image.bytes);
  const imageKey = signatureImageKey(envelope.id, signer.position, imageSha256);
  const evidence: SignerEvidence = {
    at,
    ip: client.ip,
    userAgent: client.userAgent,
    consent: true,
    documentHashes: Object.fromEntries(envelope.documents.map((document) => [document.id, document.sha256])),
    phone: signer.phone,
    phoneVerifiedAt: signer.phoneVerifiedAt,
    imageSha256,
  };
  // Both before the commit, at once: the image under a key of its own (a concurrent loser's image
  // never replaces the winner's), and the index, so that whatever dies after the commit, the sweep
  // completes the effects (an index whose commit never came is cleared by the sweep).
  await Promise.all([
    deps.documents.put({ key: imageKey, body: image.bytes, contentType: 'image/png' }),
    markSignaturePending(deps, envelope.id, signer.position),
  ]);
  const last = signer.position === envelope.signerCount;
  const committed: CommittedSignature = { signedAt: at, imageKey, placements, evidence };
  let afterCommit: StoreItem;
  try {
    // THE write: marks the signature and moves the turn at once, from exactly this position.
    afterCommit = await deps.store.update(envelopeKey(envelope.id), {
      set: {
        [committedSignatureAttribute(signer.position)]: committed,
        currentPosition: signer.position + 1,
        ...(last && { status: 'finalizing' }),
      },
      expect: { currentPosition: signer.position, status: 'signing' },
      expectMissing: [committedSignatureAttribute(signer.position)],
    });
  } catch (error) {
    if (error instanceof ConditionFailedError) {
      await deps.documents.delete(imageKey).catch(() => undefined);
      await explainLostRace(deps, context, error);
    }
    throw error;
  }
  // The envelope as the commit left it: the effects need not read it again.
  const effects = await completeSignatureEffects(deps, envelope.id, signer.position, {
    envelope: envelopeFromItem(afterCommit),
  });
  return {
    status: 'signed',
    finalizing: last,
    undelivered: effects?.undelivered ?? [],
    charge: effects?.charge ?? { state: 'failed', error: new Error('signature effects did not run') },
  };
}
