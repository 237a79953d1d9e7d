// Composition root of the signing API (OTP by SMS, signature images, next signer's mail, start of finalization): the
// adapters it uses, and only those (see aws-root.ts). Every request reads the store, so DynamoDB loads with the
// function; S3, SES, SNS and Step Functions load on the first request that needs them (lazyAdapter).
import { createAwsRoot, lazyAdapter } from './aws-root.ts';
import { awsStore } from './dynamodb.ts';

export const createSigningApiDeps = createAwsRoot({
  store: awsStore,
  documents: lazyAdapter('documents', async () => (await import('./s3.ts')).awsDocuments),
  mailer: lazyAdapter('mailer', async () => (await import('./ses.ts')).awsMailer),
  sms: lazyAdapter('sms', async () => (await import('./sns.ts')).awsSms),
  workflow: lazyAdapter('workflow', async () => (await import('./sfn.ts')).awsWorkflow),
});
