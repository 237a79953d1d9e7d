// The CDK app used by `cdk synth` / `cdk deploy` (cdk.json). Settings come from CDK context:
// see lib/deploy-settings.ts and docs/deploy.md.
import { App } from 'aws-cdk-lib';
import { buildMailsignApp } from '../lib/mailsign-app.ts';

const app = new App();
buildMailsignApp({
  app,
  // Environment-agnostic unless the CLI knows the target account (deploy); synth stays offline.
  env: process.env.CDK_DEFAULT_ACCOUNT
    ? { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION }
    : undefined,
});
app.synth();
