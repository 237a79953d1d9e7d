// Decides whether an inbound message comes from who it claims, from SES receipt verdicts and the
// mail's own headers, following DMARC (RFC 7489): a DMARC FAIL is final; without a DMARC verdict
// the sender must pass SPF and DKIM, each aligned with the From domain in relaxed mode, i.e. the
// same organizational domain by the Public Suffix List (tldts); a message with anything but
// exactly one From address is not acted on. Only an authenticated sender may receive any reply
// (no backscatter to forged addresses).
import { getDomain, parse } from 'tldts';

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
  /** Every address of every From header (RFC 5322 allows several; DMARC acts on exactly one). */
  fromAddresses: string[];
  /** How many From header fields the message has. */
  fromHeaderCount: number;
  /** Domain of the SMTP envelope sender (MAIL FROM), which SPF checked. */
  envelopeSenderDomain?: string;
  /** Signing domains (d=) the DKIM PASS verdict is about: see `readDkimDomains`. */
  dkimDomains: string[];
};

/** A mail header as mailparser gives it (`ParsedMail.headerLines`). */
export type HeaderLine = { key: string; line: string };

/** The organizational domain (RFC 7489 3.2) by the Public Suffix List; undefined for a bare suffix. */
export function organizationalDomain(domain: string): string | undefined {
  const host = domain.trim().toLowerCase().replace(/\.$/, '');
  if (!host) return undefined;
  const registrable = getDomain(host, { allowPrivateDomains: true });
  if (registrable) return registrable;
  // Not under a known suffix (e.g. `localhost`): only a name that is not itself a suffix counts.
  return parse(host, { allowPrivateDomains: true }).publicSuffix === host ? undefined : host;
}

/** Relaxed alignment: both domains share one organizational domain. */
export function isAligned(a: string, b: string): boolean {
  const orgA = organizationalDomain(a);
  return orgA !== undefined && orgA === organizationalDomain(b);
}

function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1).toLowerCase();
}

const unfold = (line: string) => line.replace(/\r?\n[ \t]+/g, ' ');
const headerValue = (line: string) => unfold(line).slice(unfold(line).indexOf(':') + 1);

/**
 * The domains whose DKIM signature passed. SES puts its own Authentication-Results field on top of
 * the message (`amazonses.com; ... dkim=pass header.i=@example.com`): that one is trusted, any
 * lower one may be forged. Without it (the local stack), the message's DKIM-Signature d= tag is
 * used only when there is exactly one, so a PASS verdict cannot be about another signature.
 */
export function readDkimDomains(headerLines: readonly HeaderLine[]): string[] {
  const top = headerLines.find((header) => header.key.toLowerCase() === 'authentication-results');
  const results = top ? headerValue(top.line).trim() : '';
  if (/^amazonses\.com\s*;/i.test(results)) {
    return results
      .split(';')
      .map((part) => part.trim())
      .filter((part) => /^dkim\s*=\s*pass\b/i.test(part))
      .flatMap((part) => {
        const match = /header\.(?:d\s*=\s*|i\s*=\s*[^@\s;]*@)([A-Za-z0-9.-]+)/i.exec(part);
        return match?.[1] ? [match[1].toLowerCase()] : [];
      });
  }
  const signatures = headerLines.filter((header) => header.key.toLowerCase() === 'dkim-signature');
  if (signatures.length !== 1 || !signatures[0]) return [];
  const domain = /(?:^|;)\s*d\s*=\s*([A-Za-z0-9.-]+)/i.exec(headerValue(signatures[0].line))?.[1];
  return domain ? [domain.toLowerCase()] : [];
}

/** Counts the From header fields of a message. */
export function countFromHeaders(headerLines: readonly HeaderLine[]): number {
  return headerLines.filter((header) => header.key.toLowerCase() === 'from').length;
}

export function authenticateSender(options: AuthenticateSenderOptions): AuthenticationResult {
  const { verdicts } = options;
  if (options.fromHeaderCount !== 1 || options.fromAddresses.length !== 1) {
    return { authenticated: false, reason: 'not exactly one From address' };
  }
  const fromDomain = domainOf(options.fromAddresses[0] ?? '');
  if (verdicts.virus === 'FAIL') return { authenticated: false, reason: 'virus verdict FAIL' };
  if (verdicts.spam === 'FAIL') return { authenticated: false, reason: 'spam verdict FAIL' };
  // The domain owner's policy said this message is not theirs: nothing may override it.
  if (verdicts.dmarc === 'FAIL') return { authenticated: false, reason: 'DMARC verdict FAIL' };
  if (verdicts.dmarc === 'PASS') return { authenticated: true };
  if (verdicts.spf === 'PASS' && verdicts.dkim === 'PASS') {
    if (!options.envelopeSenderDomain || !isAligned(options.envelopeSenderDomain, fromDomain)) {
      return {
        authenticated: false,
        reason: 'SPF and DKIM pass but the envelope sender is not aligned with the From domain',
      };
    }
    if (!options.dkimDomains.some((domain) => isAligned(domain, fromDomain))) {
      return {
        authenticated: false,
        reason: 'SPF and DKIM pass but no DKIM signature is aligned with the From domain',
      };
    }
    return { authenticated: true };
  }
  return {
    authenticated: false,
    reason:
      `not authenticated (DMARC ${verdicts.dmarc ?? 'absent'}, ` +
      `SPF ${verdicts.spf ?? 'absent'}, DKIM ${verdicts.dkim ?? 'absent'})`,
  };
}
