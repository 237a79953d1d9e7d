// Phone numbers for the SMS code: parsed with libphonenumber-js (default region FR), kept as E.164,
// and masked wherever they leave the signer record (audit events, responses, logs).
// The "mobile" metadata (a third smaller than "max") knows only the numbering plans' mobile
// ranges: a fixed line does not parse as valid, which is the refusal wanted. Still 130 KB: it is
// imported on first use, so the signing API's requests that touch no phone number never read it.
import { DomainError } from '../errors.ts';

const phoneLibrary = () => import('libphonenumber-js/mobile');

export const DEFAULT_PHONE_REGION = 'FR';

/** Types that can receive an SMS; FIXED_LINE_OR_MOBILE covers regions that do not tell them apart (US). */
const SMS_CAPABLE_TYPES = new Set(['MOBILE', 'FIXED_LINE_OR_MOBILE']);

/** Parses user input into E.164, or throws PHONE_INVALID (422) when it cannot receive an SMS. */
export async function parseMobilePhone(input: unknown): Promise<string> {
  const text = typeof input === 'string' ? input.trim() : '';
  if (text.length === 0 || text.length > 40) {
    throw new DomainError({
      code: 'PHONE_INVALID',
      message: 'Enter a mobile phone number, e.g. 06 12 34 56 78 or +33 6 12 34 56 78.',
    });
  }
  const { parsePhoneNumberFromString } = await phoneLibrary();
  const parsed = parsePhoneNumberFromString(text, DEFAULT_PHONE_REGION);
  if (!parsed?.isValid()) {
    throw new DomainError({ code: 'PHONE_INVALID', message: 'This phone number is not valid.' });
  }
  const type = parsed.getType();
  if (!type || !SMS_CAPABLE_TYPES.has(type)) {
    throw new DomainError({
      code: 'PHONE_INVALID',
      message: 'This number cannot receive text messages: enter a mobile number.',
    });
  }
  return parsed.number;
}

/** Keeps the country code and the last two digits: enough to recognise, not enough to call. */
export async function maskPhone(e164: string): Promise<string> {
  const { parsePhoneNumberFromString } = await phoneLibrary();
  const parsed = parsePhoneNumberFromString(e164);
  const digits = e164.replace(/\D/g, '');
  const countryCode = parsed?.countryCallingCode ?? digits.slice(0, Math.min(2, digits.length));
  const national = digits.slice(countryCode.length);
  if (national.length <= 2) return `+${countryCode}${'•'.repeat(national.length)}`;
  return `+${countryCode} ${'•'.repeat(national.length - 2)}${national.slice(-2)}`;
}
