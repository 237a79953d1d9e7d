// The shapes the HTTP API answers with, in one module that both the use cases (lambdas/core) and
// the web pages (web/src, bundled by web/build.ts) import, so the two cannot drift apart. Types
// only: importing this adds nothing to the web bundle.
import type { DomainErrorCode } from '../errors.ts';
import type { EnvelopeStatus, PageSize, SignaturePlacement, SignerStatus } from '../envelopes/envelope-records.ts';

export type { EnvelopeStatus, SignerStatus };

/** A document of a signing request, as GET /api/signing lists it. */
export type SigningDocumentInfo = {
  id: string;
  name: string;
  pageCount: number;
  pages: PageSize[];
  url: string;
  /** Appears once the envelope is completed: the signed, certified PDF. */
  certifiedUrl?: string;
};

/** GET /api/signing. */
export type SigningView = {
  envelope: {
    id: string;
    subject: string;
    message: string;
    sender: { name: string; email: string };
    status: EnvelopeStatus;
  };
  documents: SigningDocumentInfo[];
  signers: Array<{ position: number; name: string; status: SignerStatus }>;
  you: { position: number; email: string; status: SignerStatus; yourTurn: boolean; phoneVerified: boolean };
};

/** Where a signer put their signature (PDF points, origin at the page's bottom-left; 1-based page). */
export type Placement = SignaturePlacement;

/** POST /api/signing/otp. */
export type OtpSent = { expiresAt: string; resendAfter: string };

/** RFC 9457 problem details with the service's stable `code` and the extras some codes carry. */
export type Problem = {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  code: DomainErrorCode | 'CONFLICT' | 'NOT_FOUND' | 'METHOD_NOT_ALLOWED' | 'INTERNAL' | (string & {});
  attemptsLeft?: number;
  resendAfter?: string | number;
  retryAfter?: string | number;
};

/** An invoice as GET /api/account/invoices lists it (`url` downloads its PDF with the session). */
export type InvoiceSummary = {
  number: string;
  issuedAt: string;
  amountCents: number;
  vatCents: number;
  totalCents: number;
  url: string;
};
