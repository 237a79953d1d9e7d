// POST /api/signing/otp: sends a fresh code by SMS to the number the signer typed, within the
// resend throttle and the per-signer and per-envelope caps. The code itself is never stored.
import { recordAuditEvent } from '../audit/audit-events.ts';
import type { OtpSent } from '../api/api-types.ts';
import type { Deps } from '../deps.ts';
import { ConditionFailedError, DomainError } from '../errors.ts';
import { signerKey } from '../envelopes/envelope-records.ts';
import { maskPhone, parseMobilePhone } from '../phone/phone-numbers.ts';
import { assertCanAct, loadSigningContext } from '../signing/signing-context.ts';
import { createOtpSalt, generateOtpCode, hashOtpCode } from './otp-codes.ts';
import { envelopeOtpCounterKey, envelopeSmsCeiling, getOtpRecord, OTP_LIMITS, otpKey } from './otp-records.ts';

export type RequestOtpOptions = { deps: Deps; token: string | undefined; phone: unknown };
export type RequestOtpResult = OtpSent;

export async function requestOtp({ deps, token, phone: phoneInput }: RequestOtpOptions): Promise<RequestOtpResult> {
  const context = await loadSigningContext({ deps, token });
  assertCanAct(context, { turnRequired: true });
  const phone = await parseMobilePhone(phoneInput);
  const { envelope, signer } = context;
  const nowMs = deps.clock.now().getTime();

  // Reading first gives the precise error; the conditional writes below keep it true under races.
  const current = await getOtpRecord(deps.store, envelope.id, signer.position);
  assertMaySend(current?.sentAtMs, current?.smsCount, nowMs);
  await reserveEnvelopeSms(
    deps,
    envelope.id,
    envelopeSmsCeiling({ signerCount: envelope.signerCount, position: signer.position }),
  );

  const code = generateOtpCode(deps.random);
  const salt = createOtpSalt(deps.random);
  const expiresAt = new Date(nowMs + OTP_LIMITS.ttlSeconds * 1000).toISOString();
  try {
    await deps.store.update(otpKey(envelope.id, signer.position), {
      set: { codeHash: hashOtpCode(code, salt), salt, phone, expiresAt, attempts: 0, sentAtMs: nowMs },
      remove: ['usedAt'],
      add: { smsCount: 1 },
      expectBelow: { sentAtMs: nowMs - OTP_LIMITS.resendAfterSeconds * 1000 + 1, smsCount: OTP_LIMITS.maxSmsPerSigner },
      createIfMissing: true,
    });
  } catch (error) {
    if (!(error instanceof ConditionFailedError)) throw error;
    await deps.store.update(envelopeOtpCounterKey(envelope.id), { add: { smsCount: -1 } });
    const raced = await getOtpRecord(deps.store, envelope.id, signer.position);
    assertMaySend(raced?.sentAtMs, raced?.smsCount, nowMs);
    throw error;
  }
  // A new number is unverified until its code comes back.
  await deps.store.update(signerKey(envelope.id, signer.position), {
    set: { phone },
    remove: ['phoneVerifiedAt'],
    expect: { status: 'pending' },
  });
  await deps.sms.send({ to: phone, body: smsText(deps.settings.serviceName, code) });
  await recordAuditEvent({
    ...deps,
    event: {
      type: 'otp.sent',
      envelopeId: envelope.id,
      position: signer.position,
      data: { phone: await maskPhone(phone) },
    },
  });
  return { expiresAt, resendAfter: new Date(nowMs + OTP_LIMITS.resendAfterSeconds * 1000).toISOString() };
}

function assertMaySend(sentAtMs: number | undefined, smsCount: number | undefined, nowMs: number): void {
  if ((smsCount ?? 0) >= OTP_LIMITS.maxSmsPerSigner) {
    throw new DomainError({
      code: 'OTP_LIMIT_REACHED',
      message: 'Too many codes were sent for this signature. Contact the sender.',
      details: { limit: OTP_LIMITS.maxSmsPerSigner },
    });
  }
  const waitMs = (sentAtMs ?? 0) + OTP_LIMITS.resendAfterSeconds * 1000 - nowMs;
  if (waitMs > 0) {
    throw new DomainError({
      code: 'OTP_THROTTLED',
      message: 'A code was just sent. Wait a moment before asking for another one.',
      details: { retryAfter: Math.ceil(waitMs / 1000) },
    });
  }
}

/**
 * Counts the SMS against the envelope's cap (this signer's ceiling) before sending; only
 * cap-respecting writes succeed.
 */
async function reserveEnvelopeSms(deps: Deps, envelopeId: string, ceiling: number): Promise<void> {
  try {
    await deps.store.update(envelopeOtpCounterKey(envelopeId), {
      add: { smsCount: 1 },
      expectBelow: { smsCount: ceiling },
      createIfMissing: true,
    });
  } catch (error) {
    if (!(error instanceof ConditionFailedError)) throw error;
    throw new DomainError({
      code: 'OTP_LIMIT_REACHED',
      message: 'Too many codes were sent for this signing request. Contact the sender.',
      details: { limit: ceiling },
      cause: error,
    });
  }
}

/** French then English; the code and its lifetime, nothing else a reader could misuse. */
function smsText(serviceName: string, code: string): string {
  const minutes = OTP_LIMITS.ttlSeconds / 60;
  return (
    `${serviceName} : votre code de signature est ${code} (valable ${minutes} min). ` +
    `Your signing code is ${code} (valid ${minutes} min).`
  );
}
