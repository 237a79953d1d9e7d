// Composition root of the intake (raw mail in, originals stored, invitations and replies mailed): the adapters it
// uses, and only those (see aws-root.ts).
import { createAwsRoot } from './aws-root.ts';
import { captureAwsClient } from './tracing.ts';
import { awsStore } from './dynamodb.ts';
import { awsDocuments, awsRawMail } from './s3.ts';
import { awsMailer } from './ses.ts';
// Intake's dry run draws text: the PDF engine reads its Noto fonts (runtime/pdf-fonts.ts; installing loads no PDF code).
import '../pdf-fonts.ts';

export const createIntakeDeps = createAwsRoot(
  {
    store: awsStore,
    rawMail: awsRawMail,
    documents: awsDocuments,
    mailer: awsMailer,
  },
  { captureClient: captureAwsClient },
);
