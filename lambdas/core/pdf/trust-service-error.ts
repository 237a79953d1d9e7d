// The failure of an outside trust service (a time-stamp authority, a CRL publisher): worth retrying
// later, never a reason to seal without it. Named `TransientError` so the state machine's Retry on
// the Certify step matches it (lambdas/handlers/finalize-step.ts keeps that name).

export type TrustServiceUnavailableErrorOptions = { message: string; cause?: unknown };

export class TrustServiceUnavailableError extends Error {
  constructor(options: TrustServiceUnavailableErrorOptions) {
    super(options.message, { cause: options.cause });
    this.name = 'TransientError';
  }
}

export function isTrustServiceUnavailable(error: unknown): error is TrustServiceUnavailableError {
  return error instanceof TrustServiceUnavailableError;
}
