// The application: functions, HTTP API, finalize state machine, SES receiving, web site, alarms.
// Everything here can be destroyed and redeployed; the data lives in the StatefulStack.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CfnOutput, Duration, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as cr from 'aws-cdk-lib/custom-resources';
import type { Construct } from 'constructs';
import { DeploySettingsError, type DeploySettings } from './deploy-settings.ts';
import { dataBucketName, type StatefulStack } from './stateful-stack.ts';
import { FinalizeWorkflow } from './constructs/finalize-workflow.ts';
import { MailsignHttpApi } from './constructs/http-api.ts';
import { InboundMail } from './constructs/inbound-mail.ts';
import { MailsignFunction, toRetention, type MailsignFunctionProps } from './constructs/mailsign-function.ts';
import { Monitoring } from './constructs/monitoring.ts';
import { Payments } from './constructs/payments.ts';
import { WebSite } from './constructs/web-site.ts';
import { acknowledgeCdkManagedFunction, acknowledgeExpectedFindings } from './nag-acknowledgements.ts';
import { FONT_FILES, fontFileInPackage } from '../lambdas/adapters/node/package-font-files.ts';

export const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

export const HANDLER_NAMES = [
  'intake',
  'signing-api',
  'account-api',
  'verify-api',
  'finalize-prepare',
  'finalize-assemble',
  'finalize-certify',
  'finalize-deliver',
  'finalize-complete',
  'finalize-notify-failure',
  'retention',
  'scheduled-jobs',
  'payments-webhook',
] as const;
export type HandlerName = (typeof HANDLER_NAMES)[number];

export function defaultHandlerEntry(name: HandlerName): string {
  return join(PROJECT_ROOT, 'lambdas', 'handlers', `${name}.ts`);
}

export type StatelessStackProps = StackProps & {
  settings: DeploySettings;
  data: StatefulStack;
  /** Where each handler's source is (the CDK assertion tests use one small stub for all). */
  handlerEntry?: (name: HandlerName) => string;
};

export class StatelessStack extends Stack {
  readonly functions: Record<HandlerName, lambda.Function>;
  readonly workflow: FinalizeWorkflow;
  readonly web: WebSite;
  readonly httpApi: MailsignHttpApi;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { settings, data } = props;
    const entry = props.handlerEntry ?? defaultHandlerEntry;
    const webDistDir = join(PROJECT_ROOT, settings.webDistDir);
    const rawMailBucket = s3.Bucket.fromBucketName(
      this,
      'RawMailBucket',
      dataBucketName({ stackPrefix: settings.stackPrefix, kind: 'raw-mail' }),
    );
    const documentsBucket = s3.Bucket.fromBucketAttributes(this, 'DocumentsBucket', {
      bucketName: dataBucketName({ stackPrefix: settings.stackPrefix, kind: 'documents' }),
      encryptionKey: data.dataKey,
    });

    this.web = new WebSite(this, 'Web', {
      distDir: webDistDir,
      domainName: settings.webDomainName,
      certificateArn: settings.webCertificateArn,
      logRetentionDays: settings.logRetentionDays,
    });
    const publicUrl = settings.publicUrl ?? this.web.origin;

    const environment: Record<string, string> = {
      MAILSIGN_PUBLIC_URL: publicUrl,
      MAILSIGN_SERVICE_ADDRESS: settings.serviceAddress,
      MAILSIGN_SERVICE_NAME: settings.serviceName,
      MAILSIGN_INBOUND_ADDRESSES: settings.inboundAddress,
      MAILSIGN_CUSTOMER_DOMAINS: settings.customerDomains.join(','),
      MAILSIGN_TABLE: data.table.tableName,
      MAILSIGN_RAW_BUCKET: rawMailBucket.bucketName,
      MAILSIGN_RAW_PREFIX: settings.rawPrefix,
      MAILSIGN_DOCUMENTS_BUCKET: documentsBucket.bucketName,
      MAILSIGN_LINK_TTL_DAYS: String(settings.linkTtlDays),
      MAILSIGN_RETENTION_DAYS: String(settings.retentionDays),
      MAILSIGN_CLOSED_ACCOUNT_GRACE_DAYS: String(settings.closedAccountGraceDays),
      MAILSIGN_REMIND_AFTER_DAYS: String(settings.remindAfterDays),
      MAILSIGN_SMS_SENDER_ID: settings.smsSenderId,
      MAILSIGN_SEAL_CHAIN_KEY: settings.sealChainKey,
      ...paymentEnvironment(settings),
      MAILSIGN_TSA_URLS: settings.tsaUrls.join(','),
    };

    const deadLetters = {
      intake: this.createDeadLetterQueue('IntakeDeadLetters'),
      retention: this.createDeadLetterQueue('RetentionDeadLetters'),
      scheduledJobs: this.createDeadLetterQueue('ScheduledJobsDeadLetters'),
    };
    const lockFile = join(PROJECT_ROOT, 'package-lock.json');
    const make = (
      name: HandlerName,
      options: Omit<MailsignFunctionProps, 'entry' | 'environment' | 'logRetentionDays' | 'depsLockFilePath'>,
    ) =>
      new MailsignFunction(this, toConstructId(name), {
        entry: entry(name),
        environment,
        logRetentionDays: settings.logRetentionDays,
        depsLockFilePath: lockFile,
        ...options,
      }).fn;
    const reserved = settings.signingApiReservedConcurrency > 0 ? settings.signingApiReservedConcurrency : undefined;
    const steps = { memorySize: 2048, timeout: Duration.minutes(5) };
    // The Noto fonts the stamps and audit page are drawn with (read lazily, per script): the
    // assemble step, intake (its dry run of the assembly draws the same text) and the invoices.
    const bundledFonts = Object.values(FONT_FILES).map((source) => `node_modules/${fontFileInPackage(source)}`);
    this.functions = {
      intake: make('intake', {
        description: 'SES inbound mail: parse, create the envelope, mail the signers',
        memorySize: 1024,
        timeout: Duration.minutes(2),
        deadLetterQueue: deadLetters.intake,
        bundledFonts,
      }),
      'signing-api': make('signing-api', {
        description: 'Signing API: envelope view, OTP by SMS, signature, decline',
        memorySize: 1024,
        timeout: Duration.seconds(29),
        reservedConcurrentExecutions: reserved,
      }),
      'account-api': make('account-api', {
        description: 'Customer area API: login link, session, documents, ledger',
        memorySize: 512,
        timeout: Duration.seconds(29),
      }),
      'verify-api': make('verify-api', {
        description: 'Public verification API: seal certificates, certified-file look-up by hash',
        memorySize: 256,
        timeout: Duration.seconds(10),
      }),
      'finalize-prepare': make('finalize-prepare', {
        description: 'Finalize: list the documents of a signed envelope',
        timeout: Duration.minutes(1),
      }),
      'finalize-assemble': make('finalize-assemble', {
        description: 'Finalize: stamp signatures and append the audit page',
        ...steps,
        bundledFonts,
      }),
      'finalize-certify': make('finalize-certify', {
        description: 'Finalize: PAdES certification signature with the KMS sealing key',
        ...steps,
      }),
      'finalize-deliver': make('finalize-deliver', {
        description: 'Finalize: mail the certified PDFs to the sender and signers',
        memorySize: 1024,
        timeout: Duration.minutes(5),
      }),
      'finalize-complete': make('finalize-complete', {
        description: 'Finalize: mark the envelope completed',
        timeout: Duration.minutes(1),
      }),
      'finalize-notify-failure': make('finalize-notify-failure', {
        description: 'Finalize: mark the envelope failed and tell its sender',
        timeout: Duration.minutes(1),
      }),
      retention: make('retention', {
        description: 'Daily: delete data past its retention period',
        memorySize: 1024,
        timeout: Duration.minutes(15),
        deadLetterQueue: deadLetters.retention,
      }),
      'scheduled-jobs': make('scheduled-jobs', {
        description: 'Every 15 minutes: due reminders and expiries from the due-index',
        memorySize: 512,
        timeout: Duration.minutes(10),
        deadLetterQueue: deadLetters.scheduledJobs,
      }),
      'payments-webhook': make('payments-webhook', {
        description: 'Payment webhook: verify the Stripe event, credit the top-up, issue and mail the invoice',
        memorySize: 1024,
        timeout: Duration.seconds(29),
        bundledFonts,
      }),
    };
    const f = this.functions;

    this.grantData({ table: data.table, rawMailBucket, documentsBucket, rawPrefix: settings.rawPrefix });
    data.sealKey.grant(f['finalize-certify'], 'kms:Sign', 'kms:GetPublicKey');
    f['finalize-certify'].addEnvironment('MAILSIGN_SEAL_KEY_ID', data.sealKey.keyArn);

    this.workflow = new FinalizeWorkflow(this, 'Finalize', {
      logRetention: toRetention(settings.logRetentionDays),
      steps: {
        prepare: f['finalize-prepare'],
        assemble: f['finalize-assemble'],
        certify: f['finalize-certify'],
        deliver: f['finalize-deliver'],
        complete: f['finalize-complete'],
        notifyFailure: f['finalize-notify-failure'],
      },
    });
    // The signing API starts finalization; the daily job and the sweep restart a stuck one.
    for (const starter of [f['signing-api'], f.retention, f['scheduled-jobs']]) {
      this.workflow.stateMachine.grantStartExecution(starter);
      starter.addEnvironment('MAILSIGN_STATE_MACHINE_ARN', this.workflow.stateMachine.stateMachineArn);
    }

    this.grantSendMail(settings, [
      f.intake,
      f['account-api'],
      f['signing-api'],
      f['finalize-deliver'],
      f['finalize-notify-failure'],
      f.retention,
      f['scheduled-jobs'],
      f['payments-webhook'],
    ]);
    // Direct SMS only: NotResource excludes every topic ARN, so the role cannot publish to topics.
    f['signing-api'].addToRolePolicy(
      new iam.PolicyStatement({ actions: ['sns:Publish'], notResources: ['arn:aws:sns:*:*:*'] }),
    );

    const inbound = new InboundMail(this, 'Inbound', {
      ruleSetName: `${settings.stackPrefix}-inbound`,
      recipients: [settings.inboundAddress],
      rawMailBucket,
      rawPrefix: settings.rawPrefix,
      intake: f.intake,
    });

    new events.Rule(this, 'RetentionSchedule', {
      description: 'mailsign daily retention clean-up',
      schedule: events.Schedule.cron({ minute: '17', hour: '3' }),
      targets: [
        new targets.LambdaFunction(f.retention, {
          deadLetterQueue: deadLetters.retention,
          retryAttempts: 2,
          maxEventAge: Duration.hours(6),
        }),
      ],
    });

    // Reminders and expiry: a sweep over the due-index (a range query up to now, never a scan).
    new events.Rule(this, 'ScheduledJobsSchedule', {
      description: 'mailsign sweep of due reminders and expiries',
      schedule: events.Schedule.rate(Duration.minutes(15)),
      targets: [
        new targets.LambdaFunction(f['scheduled-jobs'], {
          deadLetterQueue: deadLetters.scheduledJobs,
          retryAttempts: 2,
          maxEventAge: Duration.hours(1),
        }),
      ],
    });

    const allowedOrigins = [
      ...new Set([this.web.origin, ...(settings.publicUrl ? [new URL(settings.publicUrl).origin] : [])]),
    ];
    this.httpApi = new MailsignHttpApi(this, 'Http', {
      apiName: `${settings.stackPrefix}-api`,
      allowedOrigins,
      rateLimit: settings.apiRateLimit,
      burstLimit: settings.apiBurstLimit,
      signingApi: f['signing-api'],
      accountApi: f['account-api'],
      paymentsWebhook: f['payments-webhook'],
      paymentsWebhookThrottle: {
        rateLimit: settings.paymentsWebhookRateLimit,
        burstLimit: settings.paymentsWebhookBurstLimit,
      },
      verifyApi: f['verify-api'],
      logRetention: toRetention(settings.logRetentionDays),
    });
    this.web.deployContent({ apiUrl: this.httpApi.url, distDir: webDistDir });

    if (settings.manageSmsAccountSettings) this.applySmsAccountSettings(settings);

    const monitoring = new Monitoring(this, 'Monitoring', {
      masterKey: data.dataKey,
      operatorEmail: settings.operatorEmail,
      functions: Object.fromEntries(Object.entries(f).map(([name, fn]) => [toConstructId(name), fn])),
      throttleWatched: { SigningApi: f['signing-api'] },
      stateMachine: this.workflow.stateMachine,
      deadLetterQueues: { Intake: deadLetters.intake, Retention: deadLetters.retention },
      apiStage: this.httpApi.stage,
      smsMonthlySpendLimitUsd: settings.smsMonthlySpendLimitUsd,
    });

    const payments = new Payments(this, 'Payments', {
      webhook: f['payments-webhook'],
      readers: [f['payments-webhook'], f['account-api']],
      alarmTopic: monitoring.topic,
    });
    new CfnOutput(this, 'StripeSecretArn', {
      value: payments.secret.secretArn,
      description: 'Put {"secretKey", "webhookSecret"} here (docs/deploy.md "Top-ups")',
    });
    new CfnOutput(this, 'PaymentsWebhookUrl', {
      value: `${this.httpApi.url}/api/payments/webhook`,
      description: 'The Stripe webhook endpoint URL',
    });

    new CfnOutput(this, 'PublicUrl', { value: publicUrl, description: 'Base of the links in mails' });
    new CfnOutput(this, 'WebDistributionDomain', { value: this.web.distribution.distributionDomainName });
    new CfnOutput(this, 'ApiUrl', { value: this.httpApi.url });
    new CfnOutput(this, 'ReceiptRuleSetName', {
      value: inbound.ruleSet.receiptRuleSetName,
      description: 'Activate with: aws ses set-active-receipt-rule-set --rule-set-name <this>',
    });
    new CfnOutput(this, 'InboundAddress', { value: settings.inboundAddress });
    new CfnOutput(this, 'StateMachineArn', { value: this.workflow.stateMachine.stateMachineArn });
    new CfnOutput(this, 'OperatorTopicArn', { value: monitoring.topic.topicArn });

    acknowledgeExpectedFindings(this);
    for (const child of this.node.children) {
      if (
        child.node.id.startsWith('Custom::CDKBucketDeployment') ||
        child.node.id.startsWith('AWS679f53fac002430cb0da5b7982bd2287')
      )
        acknowledgeCdkManagedFunction(child);
    }
  }

  private createDeadLetterQueue(id: string): sqs.Queue {
    const queue = new sqs.Queue(this, id, {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(queue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself a dead-letter queue (of a Lambda function / EventBridge target).',
    });
    return queue;
  }

  private grantData(data: {
    table: StatefulStack['table'];
    rawMailBucket: s3.IBucket;
    documentsBucket: s3.IBucket;
    rawPrefix: string;
  }): void {
    const f = this.functions;
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

  private grantSendMail(settings: DeploySettings, functions: lambda.Function[]): void {
    const statement = new iam.PolicyStatement({
      actions: ['ses:SendEmail'], // SES v2 SendEmail, raw content included
      resources: [this.formatArn({ service: 'ses', resource: 'identity', resourceName: '*' })],
      // Only as the service address: a bug cannot turn the service into an open relay for
      // other verified identities of the account.
      conditions: { StringEquals: { 'ses:FromAddress': settings.serviceAddress } },
    });
    for (const fn of functions) fn.addToRolePolicy(statement);
  }

  private applySmsAccountSettings(settings: DeploySettings): void {
    const attributes = {
      DefaultSMSType: 'Transactional',
      DefaultSenderID: settings.smsSenderId,
      MonthlySpendLimit: String(settings.smsMonthlySpendLimitUsd),
    };
    const call: cr.AwsSdkCall = {
      service: 'SNS',
      action: 'setSMSAttributes',
      parameters: { attributes },
      physicalResourceId: cr.PhysicalResourceId.of('mailsign-sms-attributes'),
    };
    const resource = new cr.AwsCustomResource(this, 'SmsAccountSettings', {
      onCreate: call,
      onUpdate: call,
      policy: cr.AwsCustomResourcePolicy.fromStatements([
        new iam.PolicyStatement({ actions: ['sns:SetSMSAttributes'], resources: ['*'] }),
      ]),
      installLatestAwsSdk: false,
    });
    Validations.of(resource).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'sns:SetSMSAttributes is an account-level action without a resource ARN.',
    });
  }
}

/** The seller and VAT of invoices; a real deployment (its own inbound domain) must name the seller. */
function paymentEnvironment(settings: DeploySettings): Record<string, string> {
  const seller = {
    MAILSIGN_SELLER_NAME: settings.sellerName,
    MAILSIGN_SELLER_ADDRESS: settings.sellerAddress,
    MAILSIGN_SELLER_SIREN: settings.sellerSiren,
    MAILSIGN_SELLER_VAT_NUMBER: settings.sellerVatNumber,
  };
  const missing = Object.entries(seller).filter(([, value]) => !value);
  if (missing.length > 0 && !settings.usesExampleDomain)
    throw new DeploySettingsError(
      'Invoices need the seller identity: set -c sellerName, -c sellerAddress ' +
        '(lines separated by |), -c sellerSiren and -c sellerVatNumber ' +
        '(docs/deploy.md "Top-ups").',
    );
  return {
    ...Object.fromEntries(Object.entries(seller).filter((entry): entry is [string, string] => Boolean(entry[1]))),
    MAILSIGN_VAT_RATE_PERCENT: String(settings.vatRatePercent),
    MAILSIGN_INVOICE_PREFIX: settings.invoicePrefix,
  };
}

function toConstructId(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_match, _dash: string, letter: string) => letter.toUpperCase());
}

export function missingHandlerEntries(): string[] {
  return HANDLER_NAMES.map(defaultHandlerEntry).filter((path) => !existsSync(path));
}
