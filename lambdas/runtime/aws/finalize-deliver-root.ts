// Composition root of the Deliver step: the adapters it uses, and only those (see aws-root.ts).
import { createAwsRoot } from './aws-root.ts';
import { captureAwsClient } from './tracing.ts';
import { awsStore } from './dynamodb.ts';
import { awsDocuments } from './s3.ts';
import { awsMailer } from './ses.ts';

export const createFinalizeDeliverDeps = createAwsRoot(
  { store: awsStore, documents: awsDocuments, mailer: awsMailer },
  { captureClient: captureAwsClient },
);
