// Composition root of the Prepare step: the adapters it uses, and only those (see aws-root.ts).
import { createAwsRoot } from './aws-root.ts';
import { captureAwsClient } from './tracing.ts';
import { awsStore } from './dynamodb.ts';

export const createFinalizePrepareDeps = createAwsRoot({ store: awsStore }, { captureClient: captureAwsClient });
