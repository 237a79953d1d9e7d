// Accepted means certifiable: intake runs finalization's Assemble step (prepare-document.ts) on
// the sender's file, with a placeholder stamp on every page and a placeholder audit trail, and
// throws the result away. The geometry, the numbering of new objects, the drawing on each page,
// the form and the incremental update are then the ones finalization will use, on the same bytes;
// what fails here is refused at intake with its reason instead of failing after everyone signed.
import { assembleDocument } from './prepare-document.ts';
import type { AuditTrail } from './draw-audit-trail.ts';
import type { SignerStamp } from './draw-stamps.ts';

export type PdfPageSize = { width: number; height: number };
export type DryRunPreparationOptions = { original: Uint8Array };
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

function stampEveryPage(pageCount: number): SignerStamp[] {
  const placements = Array.from({ length: pageCount }, (_, i) => ({
    page: i + 1,
    x: 0.4,
    y: 0.45,
    width: 0.2,
    height: 0.1,
  }));
  return [{ image: new Uint8Array(PLACEHOLDER_PNG), caption: 'Signer — 2000-01-01 00:00 UTC', placements }];
}

/** Assembles the document as finalization would; throws the same DomainError finalization would. */
export async function dryRunPreparation(options: DryRunPreparationOptions): Promise<DryRunResult> {
  const { pages } = await assembleDocument({
    original: options.original,
    stamps: stampEveryPage,
    audit: PLACEHOLDER_AUDIT,
    signingTime: PLACEHOLDER_TIME,
    signerName: 'mailsign',
    reason: 'dry run',
  });
  return { pageCount: pages.length, pages };
}
