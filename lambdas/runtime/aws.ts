// The AWS composition root with every adapter: for tools that may need any port (tests, admin
// commands). Each Lambda has its own root in lambdas/runtime/aws/*-root.ts that builds only the
// adapters it uses, so that its bundle carries only those SDK clients. SDK clients are created on
// first use and kept for the life of the execution environment; the Deps built for one
// configuration are reused (the sealing certificate chain is read once per environment).
import { createAwsRoot } from './aws/aws-root.ts';
import { awsStore } from './aws/dynamodb.ts';
import { awsDigestSigner } from './aws/kms.ts';
import { awsDocuments, awsRawMail } from './aws/s3.ts';
import { awsMailer } from './aws/ses.ts';
import { awsWorkflow } from './aws/sfn.ts';
import { awsSms } from './aws/sns.ts';
import { awsRevocationSource, awsTimestampAuthority } from './aws/trust-services.ts';
import './pdf-fonts.ts';

export { MissingDeploymentSettingError, toServiceSettings } from './aws/aws-root.ts';

export const createAwsDeps = createAwsRoot({
  store: awsStore,
  rawMail: awsRawMail,
  documents: awsDocuments,
  mailer: awsMailer,
  sms: awsSms,
  digestSigner: awsDigestSigner,
  workflow: awsWorkflow,
  timestampAuthority: awsTimestampAuthority,
  revocationSource: awsRevocationSource,
});
