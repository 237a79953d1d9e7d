// The rules that turn a parsed email into a signing request: the subject marker and the
// ordered list of signers (To then Cc, header order, no sender, no service address, no duplicate).

export const SIGN_MARKER = /\*sign\b/i;
export const MAX_SIGNERS = 10;

export function hasSignMarker(subject: string): boolean {
  return SIGN_MARKER.test(subject);
}

/** The subject signers see: the marker removed, spacing and dangling separators tidied. */
export function stripSignMarker(subject: string): string {
  const stripped = subject
    .replace(/\*sign\b/gi, ' ')
    .replace(/\s+/g, ' ')
    .replace(/^\s*[-:–—|]\s*/, '')
    .replace(/\s*[-:–—|]\s*$/, '')
    .trim();
  return stripped;
}

export type MailboxAddress = { name: string; address: string };

export type ExtractSignersOptions = {
  to: MailboxAddress[];
  cc: MailboxAddress[];
  senderAddress: string;
  serviceAddresses: string[];
};

/** Signers in order: To recipients, then Cc recipients, as they appear in the headers. */
export function extractSigners(options: ExtractSignersOptions): MailboxAddress[] {
  const excluded = new Set([options.senderAddress, ...options.serviceAddresses].map((a) => a.toLowerCase()));
  const seen = new Set<string>();
  const signers: MailboxAddress[] = [];
  for (const candidate of [...options.to, ...options.cc]) {
    const address = candidate.address.trim().toLowerCase();
    if (!address.includes('@') || excluded.has(address) || seen.has(address)) continue;
    seen.add(address);
    signers.push({ name: candidate.name.trim() || address, address });
  }
  return signers;
}
