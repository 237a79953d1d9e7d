// The application: functions, HTTP API, finalize state machine, SES receiving, web site, alarms.
// Everything here can be destroyed and redeployed; the data lives in the StatefulStack.
import { join } from 'node:path';
import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import type { DeploySettings } from './deploy-settings.ts';
import { dataBucketName, type StatefulStack } from './stateful-stack.ts';
import { FinalizeWorkflow } from './constructs/finalize-workflow.ts';
import { MailsignHttpApi } from './constructs/http-api.ts';
import { InboundMail } from './constructs/inbound-mail.ts';
import { toRetention } from './constructs/mailsign-function.ts';
import { Monitoring } from './constructs/monitoring.ts';
import { Payments } from './constructs/payments.ts';
import { WebSite } from './constructs/web-site.ts';
import { createFunctionEnvironment } from './function-environment.ts';
import { grantData, grantSendMail } from './function-permissions.ts';
import { defaultHandlerEntry, type HandlerName, PROJECT_ROOT, toConstructId } from './handler-entries.ts';
import { acknowledgeCdkManagedFunction, acknowledgeExpectedFindings } from './nag-acknowledgements.ts';
import { createServiceFunctions } from './service-functions.ts';
import { applySmsAccountSettings } from './sms-account-settings.ts';

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

    const environment = createFunctionEnvironment({ settings, data, publicUrl, rawMailBucket, documentsBucket });
    const { functions, deadLetters } = createServiceFunctions(this, { settings, entry, environment });
    this.functions = functions;
    const f = this.functions;

    grantData({
      functions: f,
      table: data.table,
      rawMailBucket,
      documentsBucket,
      rawPrefix: settings.rawPrefix,
    });
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

    grantSendMail({
      stack: this,
      settings,
      functions: [
        f.intake,
        f['account-api'],
        f['signing-api'],
        f['finalize-deliver'],
        f['finalize-notify-failure'],
        f.retention,
        f['scheduled-jobs'],
        f['payments-webhook'],
      ],
    });
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

    if (settings.manageSmsAccountSettings) applySmsAccountSettings(this, settings);

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
}
