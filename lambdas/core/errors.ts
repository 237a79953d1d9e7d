// Typed domain errors: every failure the product explains to a user has a stable `code`.
// Errors never log themselves; handlers map them to HTTP (see http-problems.ts) or to mail replies.

export type DomainErrorCode =
  | 'TOKEN_INVALID'
  | 'LINK_EXPIRED'
  | 'ENVELOPE_CLOSED'
  | 'ALREADY_SIGNED'
  | 'NOT_YOUR_TURN'
  | 'PHONE_NOT_VERIFIED'
  | 'PHONE_INVALID'
  | 'CONSENT_REQUIRED'
  | 'IMAGE_INVALID'
  | 'PLACEMENT_INVALID'
  | 'OTP_INVALID'
  | 'OTP_EXPIRED'
  | 'OTP_LOCKED'
  | 'OTP_NOT_REQUESTED'
  | 'OTP_THROTTLED'
  | 'OTP_LIMIT_REACHED'
  | 'REASON_REQUIRED'
  | 'DOCUMENT_NOT_FOUND'
  | 'FORBIDDEN'
  | 'BAD_REQUEST'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'PDF_INVALID'
  | 'PDF_ENCRYPTED'
  | 'PDF_ALREADY_SIGNED'
  | 'ACCOUNT_INACTIVE'
  | 'INSUFFICIENT_BALANCE'
  | 'FINALIZE_FAILED'
  | 'AMOUNT_INVALID'
  | 'ACCOUNT_SUSPENDED'
  | 'ACCOUNT_CLOSED'
  | 'WEBHOOK_SIGNATURE_INVALID';

export type DomainErrorOptions = {
  code: DomainErrorCode;
  message: string;
  cause?: unknown;
  /** Extra machine-readable facts for the client (e.g. attemptsLeft). */
  details?: Record<string, unknown>;
};

export class DomainError extends Error {
  readonly code: DomainErrorCode;
  readonly details: Record<string, unknown>;

  constructor(options: DomainErrorOptions) {
    super(options.message, { cause: options.cause });
    this.name = 'DomainError';
    this.code = options.code;
    this.details = options.details ?? {};
  }
}

/** Raised by Store adapters when a conditional write loses (the item exists, or changed). */
export class ConditionFailedError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConditionFailedError';
  }
}

export function isDomainError(error: unknown, code?: DomainErrorCode): error is DomainError {
  return error instanceof DomainError && (code === undefined || error.code === code);
}
