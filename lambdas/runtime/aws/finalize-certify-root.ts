// Composition root of the Certify step: the only function with the KMS signer (and pkijs): the adapters it uses, and
// only those (see aws-root.ts).
import { createAwsRoot } from './aws-root.ts';
import { captureAwsClient } from './tracing.ts';
import { awsStore } from './dynamodb.ts';
import { awsDigestSigner } from './kms.ts';
import { awsDocuments } from './s3.ts';
import { awsRevocationSource, awsTimestampAuthority } from './trust-services.ts';

export const createFinalizeCertifyDeps = createAwsRoot(
  {
    store: awsStore,
    documents: awsDocuments,
    digestSigner: awsDigestSigner,
    timestampAuthority: awsTimestampAuthority,
    revocationSource: awsRevocationSource,
  },
  { captureClient: captureAwsClient },
);
