// Errors of the finalization steps. Step Functions matches Retry/Catch on the error's `name`:
// `TransientError` is retried with backoff, anything else goes to NotifyFailure.

export type FinalizeStepErrorOptions = { name: string; message: string; cause?: unknown };

export class FinalizeStepError extends Error {
  constructor(options: FinalizeStepErrorOptions) {
    super(options.message, { cause: options.cause });
    this.name = options.name;
  }
}
