// Which step failures a retry may cure, for the finalize step wrapper (handlers may not reach the
// adapters themselves): an AWS adapter's error marked transient, or a raw SDK error (DynamoDB, S3,
// on AWS and on the local stack alike) that the one classification calls transient.
import { AwsAdapterError } from '../adapters/aws/aws-adapter-error.ts';
import { classifyTransientAwsError } from '../adapters/aws/transient-errors.ts';

export function isTransientFailure(error: unknown): boolean {
  if (error instanceof AwsAdapterError) return error.transient;
  return classifyTransientAwsError(error) !== undefined;
}
