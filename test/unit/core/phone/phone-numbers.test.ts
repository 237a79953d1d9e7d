// Phone parsing and masking: E.164 out, FR by default, only numbers that can receive an SMS.
import { describe, expect, it } from 'vitest';
import { maskPhone, parseMobilePhone } from '../../../../lambdas/core/phone/phone-numbers.ts';

describe('parseMobilePhone', () => {
  it('reads a French national mobile number as E.164', async () => {
    expect(await parseMobilePhone('06 12 34 56 78')).toBe('+33612345678');
  });

  it('accepts international numbers of other regions', async () => {
    expect(await parseMobilePhone('+49 151 23456789')).toBe('+4915123456789');
  });

  it('accepts numbers that may be mobile where the plan does not tell (US)', async () => {
    expect(await parseMobilePhone('+1 415 555 2671')).toBe('+14155552671');
  });

  it.each<[unknown, string]>([
    ['01 23 45 67 89', 'a fixed line'],
    ['0612', 'too short'],
    ['abc', 'not a number'],
    ['', 'empty'],
    [42, 'not a string'],
  ])('refuses %s (%s) with PHONE_INVALID', async (input) => {
    await expect(parseMobilePhone(input)).rejects.toThrow(expect.objectContaining({ code: 'PHONE_INVALID' }));
  });
});

describe('maskPhone', () => {
  it('keeps only the country code and the last two digits', async () => {
    expect(await maskPhone('+33612345678')).toBe('+33 •••••••78');
  });
});
