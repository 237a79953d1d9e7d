// Powertools Tracer: the X-Ray subsegments of every AWS SDK call (the functions run with active
// tracing). Kept apart from observability.ts because it carries the X-Ray SDK (~120 KB): the API
// functions, held to a 500 KB bundle, leave it out (their invocations are still traced by Lambda).
import { Tracer } from '@aws-lambda-powertools/tracer';

const tracer = new Tracer({ serviceName: 'mailsign' });

/** Captures an SDK v3 client's calls as X-Ray subsegments. */
export function captureAwsClient<T>(client: T): T {
  return tracer.captureAWSv3Client(client as never) as T;
}
