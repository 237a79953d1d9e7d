// The *VERIFY marker alone, so that intake can dispatch on it without loading the verification
// code (pkijs, asn1js), which it imports only for a *VERIFY mail.
export const VERIFY_MARKER = /\*verify\b/i;

export function hasVerifyMarker(subject: string): boolean {
  return VERIFY_MARKER.test(subject);
}
