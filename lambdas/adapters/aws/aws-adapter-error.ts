// The one error shape of the AWS adapters: a stable name (MailSendError, SealingError...), a
// stable `code` and `transient` when a retry may succeed. Which SDK errors are transient is decided
// once, in `transient-errors.ts`; the finalize step wrapper turns `transient` into the name
// `TransientError` that the state machine's Retry clauses match.
import { type AwsAdapterErrorName, MailsignError } from '../../core/errors.ts';
import { classifyTransientAwsError, type TransientAwsErrorKind } from './transient-errors.ts';

export type AwsAdapterErrorOptions<Code extends string> = {
  code: Code;
  transient: boolean;
  message: string;
  cause?: unknown;
};

export class AwsAdapterError<Code extends string> extends MailsignError<AwsAdapterErrorName> {
  readonly code: Code;
  readonly transient: boolean;

  constructor(name: AwsAdapterErrorName, options: AwsAdapterErrorOptions<Code>) {
    super(name, options.message, { cause: options.cause });
    this.code = options.code;
    this.transient = options.transient;
  }
}

/**
 * The transient branch every adapter shares: a throttled or unavailable service gives an error
 * the state machine retries; `undefined` when the SDK says a retry cannot help.
 */
export type TransientAdapterErrorOptions<E> = {
  error: unknown;
  create: (options: AwsAdapterErrorOptions<TransientAwsErrorKind>) => E;
  /** Named in the message, e.g. `KMS Sign`. */
  service: string;
};

export function transientAdapterError<E>(options: TransientAdapterErrorOptions<E>): E | undefined {
  const kind = classifyTransientAwsError(options.error);
  if (!kind) return undefined;
  const name = options.error instanceof Error ? options.error.name : 'UnknownError';
  return options.create({
    code: kind,
    transient: true,
    message: `${options.service} is busy or unavailable (${name}); retry later.`,
    cause: options.error,
  });
}
