// POST /api/signing/otp/verify: checks the code the signer typed. Single use, 10 minutes, and the
// fifth wrong try locks the code; on success the phone becomes the signer's verified number.
import { recordAuditEvent } from '../audit/audit-events.ts';
import type { Deps } from '../deps.ts';
import { ConditionFailedError, DomainError } from '../errors.ts';
import { signerKey } from '../envelopes/envelope-records.ts';
import { maskPhone } from '../phone/phone-numbers.ts';
import { assertCanAct, loadSigningContext } from '../signing/signing-context.ts';
import { normalizeOtpInput, otpMatches } from './otp-codes.ts';
import { getOtpRecord, OTP_LIMITS, otpKey, type OtpRecord } from './otp-records.ts';

export type VerifyOtpOptions = { deps: Deps; token: string | undefined; code: unknown };
export type VerifyOtpResult = { verified: true };

type LiveOtp = Required<Pick<OtpRecord, 'codeHash' | 'salt' | 'phone' | 'expiresAt'>> & { attempts: number };

const locked = () =>
  new DomainError({
    code: 'OTP_LOCKED',
    message: 'Too many wrong codes. Ask for a new code.',
    details: { attemptsLeft: 0 },
  });

export async function verifyOtp({ deps, token, code: input }: VerifyOtpOptions): Promise<VerifyOtpResult> {
  const context = await loadSigningContext({ deps, token });
  assertCanAct(context, { turnRequired: true });
  const { envelope, signer } = context;
  const otp = liveOtp(await getOtpRecord(deps.store, envelope.id, signer.position));
  if (otp.attempts >= OTP_LIMITS.maxAttempts) throw locked();
  if (Date.parse(otp.expiresAt) <= deps.clock.now().getTime()) {
    throw new DomainError({ code: 'OTP_EXPIRED', message: 'This code has expired. Ask for a new code.' });
  }
  const code = normalizeOtpInput(input);
  if (code === undefined) {
    // A typing slip (not six digits) is no guess at the code: it costs no attempt.
    throw new DomainError({
      code: 'OTP_INVALID',
      message: 'The code has 6 digits.',
      details: { attemptsLeft: OTP_LIMITS.maxAttempts - otp.attempts },
    });
  }
  if (!otpMatches(code, otp.salt, otp.codeHash)) return countWrongTry(deps, context.envelope.id, signer.position, otp);

  try {
    // Spends the code: of two concurrent verifications, one wins. A new code changes codeHash.
    await deps.store.update(otpKey(envelope.id, signer.position), {
      set: { usedAt: deps.clock.now().toISOString() },
      remove: ['codeHash', 'salt'],
      expect: { codeHash: otp.codeHash },
      expectBelow: { attempts: OTP_LIMITS.maxAttempts },
    });
  } catch (error) {
    if (!(error instanceof ConditionFailedError)) throw error;
    throw new DomainError({
      code: 'OTP_NOT_REQUESTED',
      message: 'This code was already used or replaced. Ask for a new code.',
      cause: error,
    });
  }
  const verifiedAt = deps.clock.now().toISOString();
  await deps.store.update(signerKey(envelope.id, signer.position), {
    set: { phone: otp.phone, phoneVerifiedAt: verifiedAt },
    expect: { status: 'pending' },
  });
  await recordAuditEvent({
    ...deps,
    event: {
      type: 'otp.verified',
      envelopeId: envelope.id,
      position: signer.position,
      data: { phone: await maskPhone(otp.phone), verifiedAt },
    },
  });
  return { verified: true };
}

function liveOtp(record: OtpRecord | undefined): LiveOtp {
  if (!record?.codeHash || !record.salt || !record.phone || !record.expiresAt) {
    throw new DomainError({ code: 'OTP_NOT_REQUESTED', message: 'No code is waiting for you. Ask for a code first.' });
  }
  return {
    codeHash: record.codeHash,
    salt: record.salt,
    phone: record.phone,
    expiresAt: record.expiresAt,
    attempts: record.attempts ?? 0,
  };
}

async function countWrongTry(deps: Deps, envelopeId: string, position: number, otp: LiveOtp): Promise<never> {
  let attempts: number;
  try {
    const updated = await deps.store.update(otpKey(envelopeId, position), {
      add: { attempts: 1 },
      expect: { codeHash: otp.codeHash },
      expectBelow: { attempts: OTP_LIMITS.maxAttempts },
    });
    attempts = typeof updated.attempts === 'number' ? updated.attempts : OTP_LIMITS.maxAttempts;
  } catch (error) {
    if (!(error instanceof ConditionFailedError)) throw error;
    // Locked by concurrent tries, or replaced/spent meanwhile: either way this try is over.
    throw locked();
  }
  await recordAuditEvent({ ...deps, event: { type: 'otp.failed', envelopeId, position, data: { attempts } } });
  if (attempts >= OTP_LIMITS.maxAttempts) throw locked();
  throw new DomainError({
    code: 'OTP_INVALID',
    message: 'This code is not the one we sent.',
    details: { attemptsLeft: OTP_LIMITS.maxAttempts - attempts },
  });
}
