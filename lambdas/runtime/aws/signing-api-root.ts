// Composition root of the signing API (OTP by SMS, signature images, next signer's mail, start of finalization): the
// adapters it uses, and only those (see aws-root.ts).
import { createAwsRoot } from './aws-root.ts';
import { awsStore } from './dynamodb.ts';
import { awsDocuments } from './s3.ts';
import { awsMailer } from './ses.ts';
import { awsWorkflow } from './sfn.ts';
import { awsSms } from './sns.ts';

export const createSigningApiDeps = createAwsRoot({
  store: awsStore,
  documents: awsDocuments,
  mailer: awsMailer,
  sms: awsSms,
  workflow: awsWorkflow,
});
