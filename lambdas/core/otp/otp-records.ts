// Where the current code of a signer and the SMS counters live in the single table, and the
// limits of the OTP rules (design.md section 6).
import type { Store } from '../ports.ts';
import { parseRecord } from '../records/parse-record.ts';
import { otpSchema } from '../records/record-schemas.ts';

export const OTP_LIMITS = {
  ttlSeconds: 10 * 60,
  resendAfterSeconds: 30,
  maxAttempts: 5,
  maxSmsPerSigner: 5,
  maxSmsPerEnvelope: 20,
} as const;

/** The signer's current code: one item, overwritten by each new code. */
export type OtpRecord = {
  codeHash?: string;
  salt?: string;
  /** E.164 number the code was sent to; it becomes the signer's verified phone. */
  phone?: string;
  expiresAt?: string;
  attempts?: number;
  /** Epoch ms of the last SMS, a number so the store can compare it (resend throttle). */
  sentAtMs?: number;
  smsCount?: number;
  usedAt?: string;
};

export const otpKey = (envelopeId: string, position: number) => ({
  pk: `ENV#${envelopeId}`,
  sk: `OTP#${String(position).padStart(2, '0')}`,
});

export const envelopeOtpCounterKey = (envelopeId: string) => ({ pk: `ENV#${envelopeId}`, sk: 'OTP#ENVELOPE' });

export async function getOtpRecord(store: Store, envelopeId: string, position: number): Promise<OtpRecord | undefined> {
  const item = await store.get(otpKey(envelopeId, position));
  if (!item) return undefined;
  const { pk: _pk, sk: _sk, ...record } = item;
  return parseRecord<OtpRecord>({ schema: otpSchema, record: 'one-time code', item: record });
}
