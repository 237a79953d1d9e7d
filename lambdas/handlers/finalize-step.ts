// Shared shape of the state machine's step handlers: input -> use case -> output, with errors
// named so the ASL's Retry (TransientError) and Catch (anything else) can tell them apart.
import { loadConfig } from '../config.ts';
import type { Deps } from '../core/deps.ts';
import { isDomainError } from '../core/errors.ts';
import type { AppConfig } from '../config.ts';
import { FinalizeStepError } from '../core/finalize/finalize-errors.ts';
import { observeStep, type FinalizeStepName } from '../runtime/aws/observability.ts';
import { isTransientFailure } from '../runtime/transient-failures.ts';

export type FinalizeStep<I, O> = (deps: Deps, input: I) => Promise<O>;

/** The step of a use case taking `{ deps, ...input }`: what both the Lambda and the local workflow run. */
export function stepOf<I, O>(useCase: (options: { deps: Deps } & I) => Promise<O>): FinalizeStep<I, O> {
  return (deps, input) => useCase({ deps, ...input });
}

/**
 * Gives every step failure a name from the closed union: infrastructure hiccups (an adapter's
 * transient error, or an SDK error the SDK itself calls transient) the one name the state machine
 * retries, domain errors their code; the cause is kept.
 */
export function nameStepError(error: unknown): FinalizeStepError {
  if (error instanceof FinalizeStepError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (isDomainError(error)) return new FinalizeStepError({ name: error.code, message, cause: error });
  if (isTransientFailure(error)) return new FinalizeStepError({ name: 'TransientError', message, cause: error });
  const name = error instanceof Error ? error.name : typeof error;
  return new FinalizeStepError({ name: 'StepFailed', message: `${name}: ${message}`, cause: error });
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
