// Composition root of the payments webhook (credits, invoice PDFs and their mail): the adapters it uses, and only
// those (see aws-root.ts). S3 and SES load with the first paid event (an ignored or refused event needs neither);
// so does the invoice renderer (pdf-lib, fontkit: deliver-invoice.ts imports it when a PDF is drawn).
import { createAwsRoot, lazyAdapter } from './aws-root.ts';
import { awsStore } from './dynamodb.ts';
// Invoices are drawn with the PDF engine's Noto fonts: this installs where they are read, and loads no PDF code.
import '../pdf-fonts.ts';

export const createPaymentsWebhookDeps = createAwsRoot({
  store: awsStore,
  documents: lazyAdapter('documents', async () => (await import('./s3.ts')).awsDocuments),
  mailer: lazyAdapter('mailer', async () => (await import('./ses.ts')).awsMailer),
});
