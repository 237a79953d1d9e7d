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

export type EnvelopeSmsCeilingOptions = { signerCount: number; position: number };

/**
 * How high the envelope's SMS counter may go for the signer at `position`: the envelope cap (never
 * below one code per signer) minus a share kept for each signer after this one, so an earlier
 * signer cannot spend the codes of the later ones; what an earlier signer did not use stays
 * available to those after it.
 */
export function envelopeSmsCeiling({ signerCount, position }: EnvelopeSmsCeilingOptions): number {
  const cap = Math.max(OTP_LIMITS.maxSmsPerEnvelope, signerCount);
  const share = Math.min(OTP_LIMITS.maxSmsPerSigner, Math.max(1, Math.floor(cap / signerCount)));
  return cap - Math.max(0, signerCount - position) * share;
}

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
