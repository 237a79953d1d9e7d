// Composition root of the daily retention job (raw mail and closed accounts' documents): the adapters it uses, and
// only those (see aws-root.ts).
import { createAwsRoot } from './aws-root.ts';
import { captureAwsClient } from './tracing.ts';
import { awsStore } from './dynamodb.ts';
import { awsDocuments, awsRawMail } from './s3.ts';
import { awsMailer } from './ses.ts';
import { awsWorkflow } from './sfn.ts';

export const createRetentionDeps = createAwsRoot(
  { store: awsStore, rawMail: awsRawMail, documents: awsDocuments, mailer: awsMailer, workflow: awsWorkflow },
  { captureClient: captureAwsClient },
);
