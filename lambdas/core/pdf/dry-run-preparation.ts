// Accepted means certifiable: intake runs finalization's Assemble step (prepare-document.ts) on the sender's file,
// with placeholder stamps (every page, or a sample of long documents) and a placeholder audit trail, and throws the
// result away. The geometry, the numbering of new objects, the drawing on each page, the form and the incremental
// update are then the ones finalization will use, on the same bytes; what fails here is refused at intake with its
// reason instead of failing after everyone signed.
import { assembleDocument } from './prepare-document.ts';
import type { AuditTrail } from './draw-audit-trail.ts';
import type { SignerStamp } from './draw-stamps.ts';

export type PdfPageSize = { width: number; height: number };
export type DryRunPreparationOptions = {
  original: Uint8Array;
  /** Told when the lazy reader gave way to pdf-lib's full parse, with the reason (for logs). */
  onReaderFallback?: (reason: string) => void;
};
export type DryRunResult = { pageCount: number; pages: PdfPageSize[] };

/** A 24x8 RGBA PNG: the placeholder signature. */
const PLACEHOLDER_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAABgAAAAICAYAAADjoT9jAAAAF0lEQVR42mOQk6v4T0vMMGrBqAWD3wIAegtGUOcV10AAAAAASUVORK5CYII=',
  'base64',
);

const PLACEHOLDER_TIME = new Date('2000-01-01T00:00:00Z');

const PLACEHOLDER_AUDIT: AuditTrail = {
  envelopeId: 'dry-run',
  documentName: 'document.pdf',
  originalSha256: '0'.repeat(64),
  subject: 'dry run',
  sender: { name: 'Sender', email: 'sender@example.invalid' },
  createdAt: PLACEHOLDER_TIME.toISOString(),
  completedAt: PLACEHOLDER_TIME.toISOString(),
  signers: [{ position: 1, name: 'Signer', email: 'signer@example.invalid', consent: true }],
  events: [],
};

/** Pages stamped in full: up to this many every page, beyond it a sample (the others are checked, see below). */
const STAMP_ALL_UP_TO = 300;

/**
 * The pages the dry run stamps: all of them up to 300, otherwise the first and last 100 and 100
 * spread between (drawing costs a few milliseconds per page). Every page, stamped or not, is
 * measured and has its /Contents and /Resources checked in prepare-document.ts: what drawing on
 * it needs.
 */
export function pagesToStamp(pageCount: number): number[] {
  if (pageCount <= STAMP_ALL_UP_TO) return Array.from({ length: pageCount }, (_, i) => i + 1);
  const pages = new Set<number>();
  for (let i = 1; i <= 100; i += 1) {
    pages.add(i);
    pages.add(pageCount + 1 - i);
    pages.add(1 + Math.floor(((i - 1) * (pageCount - 1)) / 99));
  }
  return [...pages].sort((a, b) => a - b);
}

function stampPages(pageCount: number): SignerStamp[] {
  const placements = pagesToStamp(pageCount).map((page) => ({ page, x: 0.4, y: 0.45, width: 0.2, height: 0.1 }));
  return [{ image: new Uint8Array(PLACEHOLDER_PNG), caption: 'Signer — 2000-01-01 00:00 UTC', placements }];
}

/** Assembles the document as finalization would; throws the same DomainError finalization would. */
export async function dryRunPreparation(options: DryRunPreparationOptions): Promise<DryRunResult> {
  const { pages } = await assembleDocument({
    original: options.original,
    stamps: stampPages,
    audit: PLACEHOLDER_AUDIT,
    signingTime: PLACEHOLDER_TIME,
    signerName: 'mailsign',
    reason: 'dry run',
    onReaderFallback: options.onReaderFallback,
  });
  return { pageCount: pages.length, pages };
}
