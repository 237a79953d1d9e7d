// Caps on a message's MIME structure, checked by one linear pass over the raw bytes BEFORE the
// full parse (mailparser keeps every part, and a 5,000-deep nest or 1,000 attachments costs it
// time and memory): parts, multipart nesting depth, attachments and the header block. Above a
// cap the message is refused as MAIL_TOO_COMPLEX; only its top-level header block is parsed, to
// know who to answer.

export const MIME_LIMITS = {
  /** Body parts (each boundary delimiter line opens one). */
  parts: 200,
  /** Multipart containers nested in each other. */
  depth: 12,
  /** Parts with a file name or `Content-Disposition: attachment`. */
  attachments: 100,
  /** The top-level header block, and any one part's header block. */
  headerBytes: 256 * 1024,
} as const;

export type MimeComplexity =
  | { ok: true }
  | {
      ok: false;
      /** Which cap was exceeded, and by how much (for the reply). */
      limit: keyof typeof MIME_LIMITS;
      found: number;
      /** The top-level header block (bounded), enough to know the sender and the subject. */
      headers: Uint8Array;
    };

const BOUNDARY = /boundary\s*=\s*(?:"([^"]{1,200})"|([^\s;"]{1,200}))/i;

/** Index just past the blank line that ends the header block starting at `from` (or -1). */
function endOfHeaders(text: Buffer, from: number): number {
  const crlf = text.indexOf('\r\n\r\n', from);
  const lf = text.indexOf('\n\n', from);
  if (crlf < 0 && lf < 0) return -1;
  if (crlf < 0) return lf + 2;
  if (lf < 0) return crlf + 4;
  return Math.min(crlf + 4, lf + 2);
}

/** One pass over the lines: counts parts, attachments and the nesting of multipart containers. */
export function assessMimeComplexity(raw: Uint8Array): MimeComplexity {
  // Searched in place (no 40 MB string copy); the short pieces read (delimiter lines, header
  // blocks) are decoded as latin1, one character per byte: nothing can fail to decode.
  const text = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  const slice = (start: number, end: number) => text.toString('latin1', start, end);
  const topEnd = endOfHeaders(text, 0);
  const topHeaderLength = topEnd < 0 ? text.length : topEnd;
  const headers = () => {
    const cut = Math.min(topHeaderLength, MIME_LIMITS.headerBytes);
    const lastLine = text.lastIndexOf('\n', cut - 1);
    const end = topHeaderLength <= MIME_LIMITS.headerBytes ? cut : Math.max(0, lastLine + 1);
    return new Uint8Array(Buffer.from(`${slice(0, end).trimEnd()}\r\n\r\n`, 'latin1'));
  };
  const refuse = (limit: keyof typeof MIME_LIMITS, found: number): MimeComplexity => ({
    ok: false,
    limit,
    found,
    headers: headers(),
  });
  if (topHeaderLength > MIME_LIMITS.headerBytes) return refuse('headerBytes', topHeaderLength);

  // Open multipart containers, innermost last: a part's own delimiter names its container.
  const open: string[] = [];
  let parts = 0;
  let attachments = 0;
  let maxDepth = 0;
  const declare = (headerBlock: string) => {
    if (!/content-type\s*:\s*multipart\//i.test(headerBlock)) return;
    const match = BOUNDARY.exec(headerBlock);
    const boundary = match?.[1] ?? match?.[2];
    if (!boundary) return;
    open.push(boundary);
    maxDepth = Math.max(maxDepth, open.length);
  };
  declare(slice(0, topHeaderLength));
  if (maxDepth > MIME_LIMITS.depth) return refuse('depth', maxDepth);
  let position = topHeaderLength;
  while (position < text.length && open.length > 0) {
    const lineEnd = text.indexOf(0x0a, position);
    const next = lineEnd < 0 ? text.length : lineEnd + 1;
    if (text[position] === 45 && text[position + 1] === 45) {
      const line = slice(position + 2, next).trimEnd();
      const level = open.findLastIndex((boundary) => line === boundary || line === `${boundary}--`);
      if (level >= 0) {
        const closing = line.endsWith('--') && line !== open[level];
        open.length = closing ? level : level + 1;
        if (!closing) {
          parts += 1;
          if (parts > MIME_LIMITS.parts) return refuse('parts', parts);
          const headerEnd = endOfHeaders(text, next);
          const partHeaderEnd = headerEnd < 0 ? text.length : headerEnd;
          if (partHeaderEnd - next > MIME_LIMITS.headerBytes) return refuse('headerBytes', partHeaderEnd - next);
          const block = slice(next, partHeaderEnd);
          if (/content-disposition\s*:\s*attachment|\bfilename\*?\s*=|\bname\*?\s*=/i.test(block)) {
            attachments += 1;
            if (attachments > MIME_LIMITS.attachments) return refuse('attachments', attachments);
          }
          declare(block);
          if (maxDepth > MIME_LIMITS.depth) return refuse('depth', maxDepth);
          position = partHeaderEnd;
          continue;
        }
      }
    }
    position = next;
  }
  return { ok: true };
}

/** The reply's reason, in French then English. */
export function describeMimeLimit(limit: keyof typeof MIME_LIMITS, found: number): { fr: string; en: string } {
  const max = MIME_LIMITS[limit];
  switch (limit) {
    case 'parts':
      return {
        fr:
          `le message compte plus de ${max} parties MIME (${found} au moins). ` +
          'Envoyez un message simple : votre texte et les PDF à signer.',
        en:
          `the message has more than ${max} MIME parts (at least ${found}). Send a ` +
          'plain message: your text and the PDFs to sign.',
      };
    case 'depth':
      return {
        fr:
          `le message imbrique plus de ${max} niveaux de parties (${found}). ` +
          'Envoyez un message simple, sans messages transférés les uns dans les autres.',
        en:
          `the message nests more than ${max} levels of parts (${found}). Send a ` +
          'plain message, without messages forwarded inside each other.',
      };
    case 'attachments':
      return {
        fr:
          `le message contient plus de ${max} pièces jointes (${found} au moins). ` +
          'Joignez seulement les PDF à signer.',
        en: `the message has more than ${max} attachments (at least ${found}). Attach only the PDFs to sign.`,
      };
    default:
      return {
        fr:
          `les en-têtes du message dépassent ${max / 1024} Ko. Envoyez un nouveau ` +
          "message plutôt qu'une longue suite de réponses.",
        en: `the message headers exceed ${max / 1024} KB. Send a new message rather than a long chain of replies.`,
      };
  }
}
