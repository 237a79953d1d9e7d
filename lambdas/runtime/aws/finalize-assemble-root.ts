// Composition root of the Assemble step: the adapters it uses, and only those (see aws-root.ts).
import { createAwsRoot } from './aws-root.ts';
import { captureAwsClient } from './tracing.ts';
import { awsStore } from './dynamodb.ts';
import { awsDocuments } from './s3.ts';

export const createFinalizeAssembleDeps = createAwsRoot(
  { store: awsStore, documents: awsDocuments },
  { captureClient: captureAwsClient },
);
