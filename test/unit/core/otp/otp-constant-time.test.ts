// The code comparison goes through crypto.timingSafeEqual (its own file: it mocks node:crypto).
import { describe, expect, it, vi } from 'vitest';

const spy = vi.hoisted(() => ({ calls: 0 }));

vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  return {
    ...actual,
    timingSafeEqual: (a: NodeJS.ArrayBufferView, b: NodeJS.ArrayBufferView) => {
      spy.calls += 1;
      return actual.timingSafeEqual(a, b);
    },
  };
});

const { createOtpSalt, hashOtpCode, otpMatches } = await import('../../../../lambdas/core/otp/otp-codes.ts');

describe('otpMatches', () => {
  it('compares the digests with crypto.timingSafeEqual, also for a wrong code', () => {
    const salt = createOtpSalt({ bytes: (n) => new Uint8Array(n).fill(7) });
    otpMatches('000000', salt, hashOtpCode('123456', salt));
    expect(spy.calls).toBe(1);
  });
});
