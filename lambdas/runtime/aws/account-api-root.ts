// Composition root of the account API (login mail, documents, ledger): the adapters it uses, and only those (see
// aws-root.ts). Every request reads the store; S3 (downloads, invoices) and SES (login links) load on first use.
import { createAwsRoot, lazyAdapter } from './aws-root.ts';
import { awsStore } from './dynamodb.ts';

export const createAccountApiDeps = createAwsRoot({
  store: awsStore,
  documents: lazyAdapter('documents', async () => (await import('./s3.ts')).awsDocuments),
  mailer: lazyAdapter('mailer', async () => (await import('./ses.ts')).awsMailer),
});
