// Reads an outgoing mail in either form the Mailer port accepts (whole bytes or parts), so every
// mailer and wrapper treats both alike.
import type { MailParts, OutgoingMail } from '../ports.ts';

/** The message's pieces, in order (one piece for a mail given as whole bytes). */
export function outgoingMailParts(mail: OutgoingMail): MailParts {
  return mail.parts ?? [mail.raw];
}

/** The message's size in bytes. */
export function outgoingMailSize(mail: OutgoingMail): number {
  return mail.parts ? mail.parts.reduce((sum, part) => sum + part.byteLength, 0) : mail.raw.byteLength;
}

/** The pieces as one run of bytes, in a new buffer (what a mail in parts avoids building). */
export function joinMailParts(parts: MailParts): Uint8Array {
  const size = parts.reduce((sum, part) => sum + part.byteLength, 0);
  // Every byte is written below: no zero-filling of tens of MB first.
  const joined = new Uint8Array(Buffer.allocUnsafeSlow(size).buffer, 0, size);
  let at = 0;
  for (const part of parts) {
    joined.set(part, at);
    at += part.byteLength;
  }
  return joined;
}
