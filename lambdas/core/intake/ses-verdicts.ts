// Decides whether an inbound message comes from who it claims, from SES receipt verdicts.
// Only an authenticated sender may receive any reply (no backscatter to forged addresses).

export type VerdictStatus = 'PASS' | 'FAIL' | 'GRAY' | 'PROCESSING_FAILED' | 'DISABLED' | string;

export type ReceiptVerdicts = {
  spf?: VerdictStatus;
  dkim?: VerdictStatus;
  dmarc?: VerdictStatus;
  spam?: VerdictStatus;
  virus?: VerdictStatus;
};

export type AuthenticationResult = { authenticated: true } | { authenticated: false; reason: string };

export type AuthenticateSenderOptions = {
  verdicts: ReceiptVerdicts;
  /** Domain of the From header address. */
  fromDomain: string;
  /** Domain of the SMTP envelope sender (MAIL FROM), which SPF checked. */
  envelopeSenderDomain?: string;
};

/** Relaxed alignment (RFC 7489): one domain equals the other or is a subdomain of it. */
function aligned(a: string, b: string): boolean {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x === y || x.endsWith(`.${y}`) || y.endsWith(`.${x}`);
}

export function authenticateSender(options: AuthenticateSenderOptions): AuthenticationResult {
  const { verdicts } = options;
  if (verdicts.virus === 'FAIL') return { authenticated: false, reason: 'virus verdict FAIL' };
  if (verdicts.spam === 'FAIL') return { authenticated: false, reason: 'spam verdict FAIL' };
  if (verdicts.dmarc === 'PASS') return { authenticated: true };
  if (verdicts.spf === 'PASS' && verdicts.dkim === 'PASS') {
    if (options.envelopeSenderDomain && aligned(options.envelopeSenderDomain, options.fromDomain))
      return { authenticated: true };
    return {
      authenticated: false,
      reason: 'SPF and DKIM pass but the envelope sender is not aligned with the From domain',
    };
  }
  return {
    authenticated: false,
    reason: `not authenticated (DMARC ${verdicts.dmarc ?? 'absent'}, SPF ${verdicts.spf ?? 'absent'}, DKIM ${verdicts.dkim ?? 'absent'})`,
  };
}
