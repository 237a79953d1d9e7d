// Composition root of the NotifyFailure step: the adapters it uses, and only those (see aws-root.ts).
import { createAwsRoot } from './aws-root.ts';
import { captureAwsClient } from './tracing.ts';
import { awsStore } from './dynamodb.ts';
import { awsMailer } from './ses.ts';

export const createFinalizeNotifyFailureDeps = createAwsRoot(
  { store: awsStore, mailer: awsMailer },
  { captureClient: captureAwsClient },
);
