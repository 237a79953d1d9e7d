// Errors of the finalization steps. Step Functions matches Retry/Catch on the error's `name`:
// `TransientError` is retried with backoff, anything else goes to NotifyFailure.
import { type FinalizeStepErrorName, MailsignError } from '../errors.ts';

export type FinalizeStepErrorOptions = { name: FinalizeStepErrorName; message: string; cause?: unknown };

export class FinalizeStepError extends MailsignError<FinalizeStepErrorName> {
  constructor(options: FinalizeStepErrorOptions) {
    super(options.name, options.message, { cause: options.cause });
  }
}
