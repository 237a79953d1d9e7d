// The one rule for "would a retry help?" on an AWS SDK error: the SDK's own classification
// (@smithy/core/retry, the code behind @smithy/service-error-classification, which the SDK's retry
// strategy itself uses): throttling, transient (timeouts, network resets, 500/502/503/504,
// `$retryable` trait) and other server errors. Every AWS adapter and the finalize step wrapper ask
// here; nobody keeps a list of error names.
import { isServerError, isThrottlingError, isTransientError } from '@smithy/core/retry';

export type TransientAwsErrorKind = 'THROTTLED' | 'UNAVAILABLE';

type SdkErrorLike = Parameters<typeof isTransientError>[0];

/** `THROTTLED` or `UNAVAILABLE` when a retry later may succeed; `undefined` when it cannot help. */
export function classifyTransientAwsError(error: unknown): TransientAwsErrorKind | undefined {
  if (typeof error !== 'object' || error === null || !('name' in error)) return undefined;
  const sdkError = error as SdkErrorLike;
  if (isThrottlingError(sdkError)) return 'THROTTLED';
  if (isTransientError(sdkError) || isServerError(sdkError)) return 'UNAVAILABLE';
  return undefined;
}
