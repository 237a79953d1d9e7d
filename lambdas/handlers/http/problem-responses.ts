// The one table from errors to HTTP: each DomainError code has its status and title; anything
// else is a 500 that says nothing of the internals. Bodies are RFC 9457 problem details.
import { ConditionFailedError, isDomainError, type DomainErrorCode } from '../../core/errors.ts';
import type { HttpApiResult } from './api-gateway-types.ts';
import { problemResponse } from './responses.ts';

type ProblemSpec = { status: number; title: string };

export const PROBLEMS: Record<DomainErrorCode, ProblemSpec> = {
  BAD_REQUEST: { status: 400, title: 'Bad request' },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'Request body too large' },
  TOKEN_INVALID: { status: 401, title: 'Invalid link' },
  FORBIDDEN: { status: 403, title: 'Forbidden' },
  PHONE_NOT_VERIFIED: { status: 403, title: 'Phone number not verified' },
  ACCOUNT_INACTIVE: { status: 403, title: 'Account inactive' },
  NOT_FOUND: { status: 404, title: 'Not found' },
  DOCUMENT_NOT_FOUND: { status: 404, title: 'Document not found' },
  ENVELOPE_CLOSED: { status: 409, title: 'Signing request closed' },
  ALREADY_SIGNED: { status: 409, title: 'Already signed' },
  NOT_YOUR_TURN: { status: 409, title: 'Not your turn yet' },
  CONFLICT: { status: 409, title: 'Conflict' },
  LINK_EXPIRED: { status: 410, title: 'Link expired' },
  PHONE_INVALID: { status: 422, title: 'Invalid phone number' },
  CONSENT_REQUIRED: { status: 422, title: 'Consent required' },
  IMAGE_INVALID: { status: 422, title: 'Invalid signature image' },
  PLACEMENT_INVALID: { status: 422, title: 'Invalid signature placement' },
  OTP_INVALID: { status: 422, title: 'Wrong code' },
  OTP_EXPIRED: { status: 422, title: 'Code expired' },
  OTP_NOT_REQUESTED: { status: 422, title: 'No code requested' },
  REASON_REQUIRED: { status: 422, title: 'Reason required' },
  PDF_INVALID: { status: 422, title: 'Invalid PDF' },
  PDF_ENCRYPTED: { status: 422, title: 'Encrypted PDF' },
  PDF_ALREADY_SIGNED: { status: 422, title: 'PDF already signed' },
  PDF_TOO_COMPLEX: { status: 422, title: 'PDF too complex' },
  INSUFFICIENT_BALANCE: { status: 402, title: 'Insufficient balance' },
  OTP_LOCKED: { status: 429, title: 'Code locked' },
  OTP_THROTTLED: { status: 429, title: 'Too many codes' },
  OTP_LIMIT_REACHED: { status: 429, title: 'Code limit reached' },
  REMIND_THROTTLED: { status: 429, title: 'Reminder already sent recently' },
  FINALIZE_FAILED: { status: 500, title: 'Finalization failed' },
  AMOUNT_INVALID: { status: 422, title: 'Invalid amount' },
  ACCOUNT_SUSPENDED: { status: 409, title: 'Account suspended' },
  ACCOUNT_CLOSED: { status: 409, title: 'Account closed' },
  WEBHOOK_SIGNATURE_INVALID: { status: 400, title: 'Invalid webhook signature' },
};

export const problemType = (code: string) => `urn:mailsign:problem:${code.toLowerCase().replaceAll('_', '-')}`;

/** Maps any thrown value to a response; `unexpected` is true when it deserves an error log. */
export function problemFromError(error: unknown): { response: HttpApiResult; unexpected: boolean } {
  if (isDomainError(error)) {
    const spec = PROBLEMS[error.code];
    // Details first, so they can never overwrite the standard members.
    const body = {
      ...error.details,
      type: problemType(error.code),
      title: spec.title,
      status: spec.status,
      detail: error.message,
      code: error.code,
    };
    const retryAfter = error.details.retryAfter;
    const headers: Record<string, string> = typeof retryAfter === 'number' ? { 'retry-after': String(retryAfter) } : {};
    return { response: problemResponse(body, headers), unexpected: spec.status >= 500 };
  }
  if (error instanceof ConditionFailedError) {
    // A conditional write lost a race no use case explained: the client can reload and retry.
    const detail = 'The request conflicted with another change. Reload and try again.';
    return {
      response: problemResponse({
        type: problemType('CONFLICT'),
        title: 'Conflict',
        status: 409,
        detail,
        code: 'CONFLICT',
      }),
      unexpected: false,
    };
  }
  const detail = 'Something went wrong on our side. Please try again later.';
  return {
    response: problemResponse({
      type: problemType('INTERNAL'),
      title: 'Internal server error',
      status: 500,
      detail,
      code: 'INTERNAL',
    }),
    unexpected: true,
  };
}

/** A problem for conditions the router itself finds (no such route, wrong method). */
export function routeProblem(status: 404 | 405, allow?: string[]): HttpApiResult {
  const code = status === 404 ? 'NOT_FOUND' : 'METHOD_NOT_ALLOWED';
  const detail = status === 404 ? 'There is nothing at this address.' : 'This method is not allowed here.';
  const title = status === 404 ? 'Not found' : 'Method not allowed';
  return problemResponse(
    { type: problemType(code), title, status, detail, code },
    allow ? { allow: allow.join(', ') } : {},
  );
}
