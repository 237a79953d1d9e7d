// Payments on AWS: the Stripe secret (secret key and webhook signing secret, as JSON, filled in by
// the operator: docs/deploy.md "Top-ups"), read by the functions that need it, and the alarm on
// webhook signature failures (a metric filter on the webhook function's log line
// `payments.webhook-signature-invalid`: someone is posting forged events, or the secret is wrong).
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

export const WEBHOOK_SIGNATURE_METRIC = { namespace: 'mailsign', name: 'PaymentsWebhookSignatureInvalid' };

export type PaymentsProps = {
  webhook: lambda.Function;
  /** The functions that read the Stripe secret: the webhook and the customer-area API. */
  readers: lambda.Function[];
  alarmTopic: sns.ITopic;
};

export class Payments extends Construct {
  readonly secret: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: PaymentsProps) {
    super(scope, id);
    this.secret = new secretsmanager.Secret(this, 'StripeSecret', {
      description: 'mailsign Stripe keys: {"secretKey": "sk_live_...", "webhookSecret": "whsec_..."}',
      // The account's aws/secretsmanager key: the data stack's key would make its policy name this stack's roles (a
      // cycle).
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Stripe API keys and webhook secrets are rolled in the Stripe dashboard, ' +
        'then stored here (docs/deploy.md); Secrets Manager cannot rotate them itself.',
    });
    for (const reader of props.readers) {
      this.secret.grantRead(reader);
      reader.addEnvironment('MAILSIGN_STRIPE_SECRET_ARN', this.secret.secretArn);
    }

    const metricFilter = new logs.MetricFilter(this, 'WebhookSignatureInvalid', {
      logGroup: props.webhook.logGroup,
      // A term match on the raw line: it holds whatever the runtime's log format wraps around it.
      filterPattern: logs.FilterPattern.anyTerm('payments.webhook-signature-invalid'),
      metricNamespace: WEBHOOK_SIGNATURE_METRIC.namespace,
      metricName: WEBHOOK_SIGNATURE_METRIC.name,
      metricValue: '1',
      defaultValue: 0,
    });
    const alarm = new cloudwatch.Alarm(this, 'WebhookSignatureInvalidAlarm', {
      metric: metricFilter.metric({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
      threshold: 5,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription:
        'The payment webhook refused 5 or more events for their signature in 5 ' +
        'minutes: forged events, or a webhook secret that does not match the Stripe endpoint.',
    });
    alarm.addAlarmAction(new cwActions.SnsAction(props.alarmTopic));
  }
}
