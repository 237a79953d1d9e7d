// Shapes of the signing API (design.md §4). Kept apart so pure modules and tests can share them
// without pulling in DOM code.

export type EnvelopeStatus = 'signing' | 'finalizing' | 'completed' | 'declined' | 'expired' | 'failed' | 'cancelled';
export type SignerStatus = 'pending' | 'signed' | 'declined';

export interface SigningView {
  envelope: {
    id: string;
    subject: string;
    message: string;
    sender: { name: string; email: string };
    status: EnvelopeStatus;
  };
  documents: DocumentInfo[];
  signers: Array<{ position: number; name: string; status: SignerStatus }>;
  you: { position: number; email: string; status: SignerStatus; yourTurn: boolean; phoneVerified: boolean };
}

export interface DocumentInfo {
  id: string;
  name: string;
  pageCount: number;
  pages: Array<{ width: number; height: number }>;
  url: string;
}

export interface Placement {
  documentId: string;
  /** 1-based page number. */
  page: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface OtpSent {
  expiresAt: string;
  resendAfter: string | number;
}

/** RFC 9457 problem details, with the service's stable `code` and optional extras. */
export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  code: string;
  attemptsLeft?: number;
  resendAfter?: string | number;
  retryAfter?: string | number;
}
