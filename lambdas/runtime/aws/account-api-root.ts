// Composition root of the account API (login mail, documents, ledger): the adapters it uses, and only those (see
// aws-root.ts).
import { createAwsRoot } from './aws-root.ts';
import { awsStore } from './dynamodb.ts';
import { awsDocuments } from './s3.ts';
import { awsMailer } from './ses.ts';

export const createAccountApiDeps = createAwsRoot({ store: awsStore, documents: awsDocuments, mailer: awsMailer });
