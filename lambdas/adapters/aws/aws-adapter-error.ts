// The one error shape of the AWS adapters: a stable `code` and, when a retry may succeed, the
// name `TransientError`, which the finalize state machine's Retry clauses match.

export type AwsAdapterErrorOptions<Code extends string> = {
  code: Code;
  transient: boolean;
  message: string;
  cause?: unknown;
};

export class AwsAdapterError<Code extends string> extends Error {
  readonly code: Code;
  readonly transient: boolean;

  /** `permanentName` names the error when a retry cannot help (e.g. `MailSendError`). */
  constructor(permanentName: string, options: AwsAdapterErrorOptions<Code>) {
    super(options.message, { cause: options.cause });
    this.name = options.transient ? 'TransientError' : permanentName;
    this.code = options.code;
    this.transient = options.transient;
  }
}
