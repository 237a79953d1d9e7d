// One-time codes: 6 digits drawn without modulo bias from the CSPRNG behind the Random port,
// kept only as HMAC-SHA-256 under a per-code salt, and compared in constant time.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Random } from '../ports.ts';

export const OTP_DIGITS = 6;
const OTP_SPACE = 10 ** OTP_DIGITS;
/** The largest multiple of 10^6 below 2^32: draws at or above it are rejected (no modulo bias). */
const UNBIASED_LIMIT = Math.floor(2 ** 32 / OTP_SPACE) * OTP_SPACE;

export function generateOtpCode(random: Random): string {
  for (;;) {
    const bytes = random.bytes(4);
    const value =
      ((bytes[0] ?? 0) * 2 ** 24 + ((bytes[1] ?? 0) << 16) + ((bytes[2] ?? 0) << 8) + (bytes[3] ?? 0)) >>> 0;
    if (value < UNBIASED_LIMIT) return String(value % OTP_SPACE).padStart(OTP_DIGITS, '0');
  }
}

export function createOtpSalt(random: Random): string {
  return Buffer.from(random.bytes(16)).toString('base64url');
}

export function hashOtpCode(code: string, salt: string): string {
  return createHmac('sha256', Buffer.from(salt, 'base64url')).update(code, 'utf8').digest('base64url');
}

/** Hashes the candidate and compares digests of equal length, so timing says nothing about the code. */
export function otpMatches(candidate: string, salt: string, storedHash: string): boolean {
  const expected = Buffer.from(storedHash, 'base64url');
  const actual = Buffer.from(hashOtpCode(candidate, salt), 'base64url');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** Accepts what people type: spaces or dashes between digit groups. */
export function normalizeOtpInput(input: unknown): string | undefined {
  if (typeof input !== 'string') return undefined;
  const code = input.replace(/[\s-]/g, '');
  return new RegExp(`^\\d{${OTP_DIGITS}}$`).test(code) ? code : undefined;
}
