// Composition root of the payments webhook (credits, invoice PDFs and their mail): the adapters it uses, and only
// those (see aws-root.ts).
import { createAwsRoot } from './aws-root.ts';
import { awsStore } from './dynamodb.ts';
import { awsDocuments } from './s3.ts';
import { awsMailer } from './ses.ts';
// Invoices are drawn with the PDF engine's Noto fonts (runtime/pdf-fonts.ts).
import '../pdf-fonts.ts';

export const createPaymentsWebhookDeps = createAwsRoot({ store: awsStore, documents: awsDocuments, mailer: awsMailer });
