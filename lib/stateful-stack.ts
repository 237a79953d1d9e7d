// The data of the service: table, buckets and keys. Kept in its own stack with RETAIN so that
// redeploying or even deleting the application stack never loses an envelope or a document.
import { Aws, CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import type { DeploySettings } from './deploy-settings.ts';

/**
 * Deterministic bucket names (unique per account and region): the application stack addresses the
 * buckets by name instead of through CloudFormation exports, so the two stacks stay decoupled
 * (no export lock) and IAM policies name the buckets plainly.
 */
export function dataBucketName(options: { stackPrefix: string; kind: 'raw-mail' | 'documents' }): string {
  return `${options.stackPrefix.toLowerCase()}-${options.kind}-${Aws.ACCOUNT_ID}-${Aws.REGION}`;
}

export type StatefulStackProps = StackProps & { settings: DeploySettings };

export class StatefulStack extends Stack {
  readonly table: dynamodb.Table;
  readonly rawMailBucket: s3.Bucket;
  readonly documentsBucket: s3.Bucket;
  /** Symmetric key for data at rest (table, documents, queues, topics). */
  readonly dataKey: kms.Key;
  /** The sealing key, or the operator's key when -c sealKeyArn is given. */
  readonly sealKey: kms.IKey;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);
    const { settings } = props;

    this.dataKey = new kms.Key(this, 'DataKey', {
      description: 'mailsign data at rest: table, documents, queues, operator topic',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // CloudWatch alarms publish to the encrypted operator topic: the service must use the key.
    this.dataKey.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
    );

    this.sealKey = settings.sealKeyArn
      ? kms.Key.fromKeyArn(this, 'SealKey', settings.sealKeyArn)
      : new kms.Key(this, 'SealKey', {
          description: 'mailsign document sealing key (PAdES certification signatures)',
          keySpec: kms.KeySpec.RSA_3072,
          keyUsage: kms.KeyUsage.SIGN_VERIFY,
          alias: settings.sealKeyAlias,
          removalPolicy: RemovalPolicy.RETAIN,
        });

    // Table (not TableV2): TableV2 with a customer key cannot synthesize region-agnostic, and
    // `cdk synth` must work offline without an account/region.
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: 'ttl',
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.dataKey,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const accessLogs = new s3.Bucket(this, 'AccessLogsBucket', {
      ...baseBucketProps(),
      lifecycleRules: [
        {
          expiration: Duration.days(Math.max(settings.retentionDays, 90)),
          noncurrentVersionExpiration: Duration.days(1),
        },
      ],
    });
    Validations.of(accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the server access log bucket of the data buckets; logging it into itself would loop.',
    });

    // SSE-S3, not KMS: SES's S3 action writes here, and its "KMS" option is client-side
    // encryption the intake function would have to undo.
    this.rawMailBucket = new s3.Bucket(this, 'RawMailBucket', {
      ...baseBucketProps(),
      bucketName: dataBucketName({ stackPrefix: settings.stackPrefix, kind: 'raw-mail' }),
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'raw-mail/',
      lifecycleRules: [
        {
          expiration: Duration.days(settings.retentionDays),
          noncurrentVersionExpiration: Duration.days(1),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
    });

    // SES's receipt rule (application stack) stores each message under the prefix.
    this.rawMailBucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowSesReceiptRuleWrites',
        principals: [new iam.ServicePrincipal('ses.amazonaws.com')],
        actions: ['s3:PutObject'],
        resources: [this.rawMailBucket.arnForObjects(`${settings.rawPrefix}*`)],
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
    );

    this.documentsBucket = new s3.Bucket(this, 'DocumentsBucket', {
      ...baseBucketProps(),
      bucketName: dataBucketName({ stackPrefix: settings.stackPrefix, kind: 'documents' }),
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.dataKey,
      bucketKeyEnabled: true,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'documents/',
      // Current objects live as long as the customer's subscription (the retention job deletes
      // them); overwritten or deleted versions are a safety net, not an archive.
      lifecycleRules: [
        { noncurrentVersionExpiration: Duration.days(30), abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      // The signing page follows the API's redirect to a presigned URL for large documents.
      // Any origin may GET: a presigned URL is itself the capability, valid for minutes.
      cors: [{ allowedMethods: [s3.HttpMethods.GET, s3.HttpMethods.HEAD], allowedOrigins: ['*'], maxAge: 3600 }],
    });

    // Plain outputs (not exports) for operators and `mailsign cert install --bucket`.
    new CfnOutput(this, 'DocumentsBucketName', { value: this.documentsBucket.bucketName });
    new CfnOutput(this, 'RawMailBucketName', { value: this.rawMailBucket.bucketName });
    new CfnOutput(this, 'TableName', { value: this.table.tableName });
    new CfnOutput(this, 'SealKeyArn', {
      value: this.sealKey.keyArn,
      description: 'The KMS key the certify function seals with',
    });
    new CfnOutput(this, 'SealChainLocation', {
      value: `s3://${this.documentsBucket.bucketName}/${settings.sealChainKey}`,
    });
  }
}

function baseBucketProps(): s3.BucketProps {
  return {
    encryption: s3.BucketEncryption.S3_MANAGED,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    versioned: true,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    removalPolicy: RemovalPolicy.RETAIN,
  };
}
