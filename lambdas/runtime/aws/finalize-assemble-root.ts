// Composition root of the Assemble step: the adapters it uses, and only those (see aws-root.ts).
// The time-stamp authority is only described (the audit page names the level and the TSA).
import { createAwsRoot } from './aws-root.ts';
import { captureAwsClient } from './tracing.ts';
import { awsStore } from './dynamodb.ts';
import { awsDocuments } from './s3.ts';
import { awsTimestampAuthority } from './trust-services.ts';
// Intake's dry run and Assemble draw text: the PDF engine reads its Noto fonts (runtime/pdf-fonts.ts).
import '../pdf-fonts.ts';

export const createFinalizeAssembleDeps = createAwsRoot(
  { store: awsStore, documents: awsDocuments, timestampAuthority: awsTimestampAuthority },
  { captureClient: captureAwsClient },
);
