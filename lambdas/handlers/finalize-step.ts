// Shared shape of the state machine's step handlers: input -> use case -> output, with errors
// named so the ASL's Retry (TransientError) and Catch (anything else) can tell them apart.
import { loadConfig } from '../config.ts';
import type { Deps } from '../core/deps.ts';
import { isDomainError } from '../core/errors.ts';
import type { AppConfig } from '../config.ts';
import { observeStep, type FinalizeStepName } from '../runtime/aws/observability.ts';

export type FinalizeStep<I, O> = (deps: Deps, input: I) => Promise<O>;

const TRANSIENT_NAMES = new Set([
  'TransientError',
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'SlowDown',
  'InternalError',
  'ServiceUnavailable',
  'KMSInternalException',
  'TimeoutError',
  'ECONNRESET',
  'ETIMEDOUT',
]);

/** Gives infrastructure hiccups the one name the state machine retries; the rest keep theirs. */
export function nameStepError(error: unknown): Error {
  if (!(error instanceof Error)) return Object.assign(new Error(String(error)), { name: 'StepFailed' });
  if (isDomainError(error)) return Object.assign(new Error(error.message, { cause: error }), { name: error.code });
  const meta = (error as { $metadata?: { httpStatusCode?: number }; $retryable?: unknown; code?: string }) ?? {};
  const status = meta.$metadata?.httpStatusCode ?? 0;
  if (TRANSIENT_NAMES.has(error.name) || TRANSIENT_NAMES.has(meta.code ?? '') || meta.$retryable || status >= 500) {
    return Object.assign(new Error(error.message, { cause: error }), { name: 'TransientError' });
  }
  return error;
}

export function runStep<I, O>(step: FinalizeStep<I, O>, getDeps: () => Deps): (input: I) => Promise<O> {
  return async (input) => {
    try {
      return await step(getDeps(), input);
    } catch (error) {
      throw nameStepError(error);
    }
  };
}

/** The Lambda handler of a step, with the AWS adapters its composition root builds, observed. */
export function awsStepHandler<I, O>(
  name: FinalizeStepName,
  step: FinalizeStep<I, O>,
  createDeps: (config: AppConfig) => Deps,
): (input: I) => Promise<O> {
  let deps: Deps | undefined;
  return observeStep(
    name,
    runStep(step, () => (deps ??= createDeps(loadConfig()))),
  );
}
