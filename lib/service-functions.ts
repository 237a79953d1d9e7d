// The service's Lambda functions, sized one by one (memory, timeout, concurrency), with the
// dead-letter queues of the asynchronously invoked ones (SES intake and the scheduled jobs).
import { join } from 'node:path';
import { Duration, Validations } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { DeploySettings } from './deploy-settings.ts';
import { MailsignFunction, type MailsignFunctionProps } from './constructs/mailsign-function.ts';
import { type HandlerName, PROJECT_ROOT, toConstructId } from './handler-entries.ts';
import { FONT_FILES, fontFileInPackage } from '../lambdas/adapters/node/package-font-files.ts';

export type ServiceFunctionsOptions = {
  settings: DeploySettings;
  /** Where each handler's source is. */
  entry: (name: HandlerName) => string;
  environment: Record<string, string>;
};

export type ServiceFunctions = {
  functions: Record<HandlerName, lambda.Function>;
  deadLetters: { intake: sqs.Queue; retention: sqs.Queue; scheduledJobs: sqs.Queue };
};

export function createServiceFunctions(
  scope: Construct,
  { settings, entry, environment }: ServiceFunctionsOptions,
): ServiceFunctions {
  const deadLetters = {
    intake: createDeadLetterQueue(scope, 'IntakeDeadLetters'),
    retention: createDeadLetterQueue(scope, 'RetentionDeadLetters'),
    scheduledJobs: createDeadLetterQueue(scope, 'ScheduledJobsDeadLetters'),
  };
  const lockFile = join(PROJECT_ROOT, 'package-lock.json');
  const make = (
    name: HandlerName,
    options: Omit<MailsignFunctionProps, 'entry' | 'environment' | 'logRetentionDays' | 'depsLockFilePath'>,
  ) =>
    new MailsignFunction(scope, toConstructId(name), {
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
  const functions: Record<HandlerName, lambda.Function> = {
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
  return { functions, deadLetters };
}

function createDeadLetterQueue(scope: Construct, id: string): sqs.Queue {
  const queue = new sqs.Queue(scope, id, {
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
