// Composition root of the payments webhook (credits, invoice PDFs and their mail): the adapters it uses, and only
// those (see aws-root.ts). S3 and SES load with the first paid event (an ignored or refused event needs neither);
// the invoice renderer and its fonts load then too (handlers/payments-webhook.ts).
import { createAwsRoot, lazyAdapter } from './aws-root.ts';
import { awsStore } from './dynamodb.ts';

export const createPaymentsWebhookDeps = createAwsRoot({
  store: awsStore,
  documents: lazyAdapter('documents', async () => (await import('./s3.ts')).awsDocuments),
  mailer: lazyAdapter('mailer', async () => (await import('./ses.ts')).awsMailer),
});
