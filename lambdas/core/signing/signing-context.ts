// Resolves a signing token into the envelope and the signer it speaks for, applies envelope
// expiry on read, and holds the one precedence order of the checks every signing action makes.
import { recordAuditEvent } from '../audit/audit-events.ts';
import type { Deps } from '../deps.ts';
import { ConditionFailedError, DomainError } from '../errors.ts';
import {
  envelopeKey,
  getEnvelope,
  getEnvelopeAndSigner,
  type Envelope,
  type Signer,
} from '../envelopes/envelope-records.ts';
import { resolveToken } from '../tokens/link-tokens.ts';

export type SigningContext = { envelope: Envelope; signer: Signer };

export type LoadSigningContextOptions = { deps: Deps; token: string | undefined };

/** 401 TOKEN_INVALID / 410 LINK_EXPIRED from the token; an envelope past its date reads as 'expired'. */
export async function loadSigningContext({ deps, token }: LoadSigningContextOptions): Promise<SigningContext> {
  const record = await resolveToken({ store: deps.store, clock: deps.clock, token, kind: 'signing' });
  if (record.envelopeId === undefined || record.position === undefined) {
    throw new DomainError({
      code: 'TOKEN_INVALID',
      message: 'This link is not valid here. Open the link from your email again.',
    });
  }
  const { envelope, signer } = await getEnvelopeAndSigner(deps.store, record.envelopeId, record.position);
  if (!envelope || !signer) {
    // The envelope was purged after retention: the link is as good as unknown.
    throw new DomainError({ code: 'TOKEN_INVALID', message: 'This signing request no longer exists.' });
  }
  return { envelope: await expireIfDue(deps, envelope), signer };
}

/** Marks a 'signing' envelope past expiresAt as 'expired' (once: the conditional write decides). */
async function expireIfDue(deps: Deps, envelope: Envelope): Promise<Envelope> {
  if (envelope.status !== 'signing' || Date.parse(envelope.expiresAt) > deps.clock.now().getTime()) return envelope;
  try {
    await deps.store.update(envelopeKey(envelope.id), { set: { status: 'expired' }, expect: { status: 'signing' } });
    await recordAuditEvent({ ...deps, event: { type: 'envelope.expired', envelopeId: envelope.id } });
    return { ...envelope, status: 'expired' };
  } catch (error) {
    if (!(error instanceof ConditionFailedError)) throw error;
    // Someone else changed the status first (expired, declined or the last signature): re-read it.
    return (await getEnvelope(deps.store, envelope.id)) ?? envelope;
  }
}

export function isYourTurn({ envelope, signer }: SigningContext): boolean {
  return envelope.status === 'signing' && signer.status === 'pending' && envelope.currentPosition === signer.position;
}

/** The design's precedence: ENVELOPE_CLOSED, then ALREADY_SIGNED, then NOT_YOUR_TURN. */
export function assertCanAct(context: SigningContext, options: { turnRequired: boolean }): void {
  const { envelope, signer } = context;
  if (envelope.status !== 'signing' || signer.status === 'declined') {
    throw new DomainError({
      code: 'ENVELOPE_CLOSED',
      message: `This signing request is closed (${envelope.status}).`,
      details: { envelopeStatus: envelope.status },
    });
  }
  if (signer.status === 'signed') {
    throw new DomainError({ code: 'ALREADY_SIGNED', message: 'You have already signed these documents.' });
  }
  if (options.turnRequired && !isYourTurn(context)) {
    throw new DomainError({
      code: 'NOT_YOUR_TURN',
      message: 'It is not your turn to sign yet: you will receive an email when it is.',
      details: { currentPosition: envelope.currentPosition, yourPosition: signer.position },
    });
  }
}

/** Re-reads the state after a lost conditional write and throws the error that now applies. */
export async function explainLostRace(deps: Deps, context: SigningContext, cause: unknown): Promise<never> {
  const fresh = await getEnvelopeAndSigner(deps.store, context.envelope.id, context.signer.position);
  const now: SigningContext = { envelope: fresh.envelope ?? context.envelope, signer: fresh.signer ?? context.signer };
  assertCanAct(now, { turnRequired: true });
  throw new DomainError({
    code: 'CONFLICT',
    message: 'The signing request changed meanwhile. Reload the page.',
    cause,
  });
}
