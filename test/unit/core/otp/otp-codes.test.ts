// Code generation, hashing and comparison.
import { describe, expect, it, vi } from 'vitest';
import * as crypto from 'node:crypto';
import {
  createOtpSalt,
  generateOtpCode,
  hashOtpCode,
  normalizeOtpInput,
  otpMatches,
} from '../../../../lambdas/core/otp/otp-codes.ts';

const fixedRandom = (...draws: number[][]) => {
  const queue = [...draws];
  return { bytes: () => new Uint8Array(queue.shift() ?? [0, 0, 0, 0]) };
};

describe('generateOtpCode', () => {
  it('gives six digits, zero-padded', () => {
    expect(generateOtpCode(fixedRandom([0, 0, 0, 42]))).toBe('000042');
  });

  it('rejects draws above the largest multiple of a million (no modulo bias)', () => {
    const random = fixedRandom([0xff, 0xff, 0xff, 0xff], [0, 0x0f, 0x42, 0x3f]);
    expect(generateOtpCode(random)).toBe('999999');
  });

  it('draws from the Random port', () => {
    const random = { bytes: vi.fn(() => new Uint8Array(crypto.randomBytes(4))) };
    generateOtpCode(random);
    expect(random.bytes).toHaveBeenCalledWith(4);
  });
});

describe('otp hashing', () => {
  const random = { bytes: (n: number) => new Uint8Array(crypto.randomBytes(n)) };

  it('never stores the code itself', () => {
    const salt = createOtpSalt(random);
    expect(hashOtpCode('123456', salt)).not.toContain('123456');
  });

  it('salts each code: the same code hashes differently', () => {
    expect(hashOtpCode('123456', createOtpSalt(random))).not.toBe(hashOtpCode('123456', createOtpSalt(random)));
  });

  it('matches the right code and not another one', () => {
    const salt = createOtpSalt(random);
    const hash = hashOtpCode('123456', salt);
    expect([otpMatches('123456', salt, hash), otpMatches('123457', salt, hash)]).toEqual([true, false]);
  });
});

describe('normalizeOtpInput', () => {
  it('accepts spaces between digit groups', () => {
    expect(normalizeOtpInput('123 456')).toBe('123456');
  });

  it.each(['12345', '1234567', 'abcdef', 42])('refuses %s', (input) => {
    expect(normalizeOtpInput(input)).toBeUndefined();
  });
});
