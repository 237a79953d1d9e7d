// The one error hierarchy: every error we throw is a MailsignError whose `name` comes from the
// closed union below (Step Functions and the local workflow match on names) and keeps its `cause`.
// Domain failures the product explains to a user are DomainErrors with a stable `code`. Errors
// never log themselves; handlers map them to HTTP (`handlers/http/problem-responses.ts`) or to
// mail replies.

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
  | 'REMIND_THROTTLED'
  | 'REASON_REQUIRED'
  | 'DOCUMENT_NOT_FOUND'
  | 'FORBIDDEN'
  | 'BAD_REQUEST'
  | 'PAYLOAD_TOO_LARGE'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'PDF_INVALID'
  | 'PDF_ENCRYPTED'
  | 'PDF_ALREADY_SIGNED'
  | 'PDF_TOO_COMPLEX'
  | 'ACCOUNT_INACTIVE'
  | 'INSUFFICIENT_BALANCE'
  | 'FINALIZE_FAILED'
  | 'AMOUNT_INVALID'
  | 'ACCOUNT_SUSPENDED'
  | 'ACCOUNT_CLOSED'
  | 'WEBHOOK_SIGNATURE_INVALID';

/** Names of the AWS adapters' errors (`adapters/aws/aws-adapter-error.ts`). */
export type AwsAdapterErrorName =
  | 'MailSendError'
  | 'MailTooLargeError'
  | 'SmsSendError'
  | 'SealingError'
  | 'WorkflowStartError'
  | 'SealSubjectError';

/**
 * Names a finalization step fails with (`core/finalize/finalize-errors.ts`): the state machine
 * retries `TransientError` and sends anything else to NotifyFailure.
 */
export type FinalizeStepErrorName =
  | 'TransientError'
  | 'StepFailed'
  | 'EnvelopeNotFound'
  | 'DocumentNotFound'
  | 'SignatureImageMissing'
  | 'OriginalChanged'
  | 'AlreadyCompleted'
  | 'NotReady'
  | DomainErrorCode;

export type ErrorName =
  | 'DomainError'
  | 'ConditionFailedError'
  | 'RecordInvalidError'
  | 'ConfigError'
  | AwsAdapterErrorName
  | FinalizeStepErrorName;

/** The base of every error mailsign throws. */
export abstract class MailsignError<Name extends ErrorName = ErrorName> extends Error {
  declare readonly name: Name;

  constructor(name: Name, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = name;
  }
}

export type DomainErrorOptions = {
  code: DomainErrorCode;
  message: string;
  cause?: unknown;
  /** Extra machine-readable facts for the client (e.g. attemptsLeft). */
  details?: Record<string, unknown>;
};

export class DomainError extends MailsignError<'DomainError'> {
  readonly code: DomainErrorCode;
  readonly details: Record<string, unknown>;

  constructor(options: DomainErrorOptions) {
    super('DomainError', options.message, { cause: options.cause });
    this.code = options.code;
    this.details = options.details ?? {};
  }
}

/** Raised by Store adapters when a conditional write loses (the item exists, or changed). */
export class ConditionFailedError extends MailsignError<'ConditionFailedError'> {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ConditionFailedError', message, options);
  }
}

/** The environment or a setting is missing or malformed: fail fast, naming what to fix. */
export class ConfigError extends MailsignError<'ConfigError'> {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ConfigError', message, options);
  }
}

export type RecordInvalidErrorOptions = {
  /** What was being read, e.g. `account` or `signer`: never the key (it may hold an address). */
  record: string;
  message: string;
  cause?: unknown;
};

/**
 * A stored record (or one our own code should have kept consistent) does not have the expected
 * shape: an old or corrupt item. Raised at the repository edge instead of returning a wrong value.
 */
export class RecordInvalidError extends MailsignError<'RecordInvalidError'> {
  readonly record: string;

  constructor(options: RecordInvalidErrorOptions) {
    super('RecordInvalidError', `Stored ${options.record} record is invalid: ${options.message}`, {
      cause: options.cause,
    });
    this.record = options.record;
  }
}

export function isDomainError(error: unknown, code?: DomainErrorCode): error is DomainError {
  return error instanceof DomainError && (code === undefined || error.code === code);
}
