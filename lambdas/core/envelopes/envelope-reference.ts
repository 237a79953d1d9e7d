// The short reference a sender sees of an envelope ("Réf. 1a2b3c4d"), the header that carries
// the full id on every mail to the sender, and the Message-IDs of those mails, from which a reply
// (In-Reply-To / References) finds its envelope again.
import { createHash, randomUUID } from 'node:crypto';

export const ENVELOPE_HEADER = 'X-Mailsign-Envelope';
export const REFERENCE_LENGTH = 8;

/** The first 8 characters of the id: what the sender quotes in `*CANCEL <ref>`. */
export function envelopeReference(envelopeId: string): string {
  return envelopeId.slice(0, REFERENCE_LENGTH);
}

/** Ids are 32 lowercase hex digits; a reference is a prefix of at least 8 of them. */
export function parseEnvelopeReference(text: string): string | undefined {
  const match = /(?:^|[^0-9a-z])([0-9a-f]{8,32})(?![0-9a-z])/i.exec(text);
  return match?.[1]?.toLowerCase();
}

/**
 * A Message-ID naming the envelope, unique per mail: `<envelope id>.<uuid>@<service domain>`. With a
 * seed (a resumable step's own mail id) the uuid derives from it, so a resent mail keeps its id.
 */
export function envelopeMessageId(envelopeId: string, serviceAddress: string, seed?: string): string {
  const domain = serviceAddress.slice(serviceAddress.lastIndexOf('@') + 1) || 'mailsign.invalid';
  return `<${envelopeId}.${seed ? uuidFromSeed(seed) : randomUUID()}@${domain}>`;
}

function uuidFromSeed(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** The envelope named by the first of our Message-IDs among In-Reply-To / References. */
export function envelopeIdFromMessageIds(ids: string[]): string | undefined {
  for (const id of ids) {
    const match = /^<?([0-9a-f]{32})\.[0-9a-f-]{36}@/i.exec(id.trim());
    if (match?.[1]) return match[1].toLowerCase();
  }
  return undefined;
}
