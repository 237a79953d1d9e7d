// What each function may touch, least privilege: which table and bucket prefixes it reads or
// writes, and who may send mail (only as the service address).
import type { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { DeploySettings } from './deploy-settings.ts';
import type { HandlerName } from './handler-entries.ts';
import type { StatefulStack } from './stateful-stack.ts';

export type GrantDataOptions = {
  functions: Record<HandlerName, lambda.Function>;
  table: StatefulStack['table'];
  rawMailBucket: s3.IBucket;
  documentsBucket: s3.IBucket;
  rawPrefix: string;
};

export function grantData(data: GrantDataOptions): void {
  const f = data.functions;
  const { rawPrefix } = data;
  for (const name of [
    'intake',
    'signing-api',
    'account-api',
    'finalize-prepare',
    'finalize-deliver',
    'finalize-complete',
    'finalize-notify-failure',
    'retention',
    'payments-webhook',
  ] as const) {
    data.table.grantReadWriteData(f[name]);
  }
  for (const name of ['finalize-assemble', 'verify-api'] as const) data.table.grantReadData(f[name]);
  // Certify records the seal certificate (and, for runs started before Deliver joined the file,
  // the certified file) for verification.
  data.table.grantReadWriteData(f['finalize-certify']);
  for (const name of [
    'intake',
    'signing-api',
    'finalize-assemble',
    'finalize-certify',
    'finalize-complete',
    'retention',
    'payments-webhook',
  ] as const) {
    data.documentsBucket.grantReadWrite(f[name]);
  }
  // An invoice PDF missing from the bucket is rendered on download and stored.
  data.documentsBucket.grantPut(f['account-api'], 'invoices/*');
  for (const name of ['account-api', 'finalize-prepare', 'finalize-deliver', 'finalize-notify-failure'] as const)
    data.documentsBucket.grantRead(f[name]);
  // Deliver joins Certify's signed update to the original and stores the certified file.
  data.documentsBucket.grantPut(f['finalize-deliver'], 'envelopes/*/certified/*');
  data.documentsBucket.grantDelete(f.retention);
  data.rawMailBucket.grantRead(f.intake, `${rawPrefix}*`);
  data.rawMailBucket.grantRead(f.retention, `${rawPrefix}*`);
  data.rawMailBucket.grantDelete(f.retention, `${rawPrefix}*`);
}

export type GrantSendMailOptions = {
  /** The stack whose account and region the SES identity ARN names. */
  stack: Stack;
  settings: DeploySettings;
  functions: lambda.Function[];
};

export function grantSendMail(options: GrantSendMailOptions): void {
  const { stack, settings, functions } = options;
  const statement = new iam.PolicyStatement({
    actions: ['ses:SendEmail'], // SES v2 SendEmail, raw content included
    resources: [stack.formatArn({ service: 'ses', resource: 'identity', resourceName: '*' })],
    // Only as the service address: a bug cannot turn the service into an open relay for
    // other verified identities of the account.
    conditions: { StringEquals: { 'ses:FromAddress': settings.serviceAddress } },
  });
  for (const fn of functions) fn.addToRolePolicy(statement);
}
