// Operator alarms: function errors, failed finalizations, charges left pending, dead letters,
// API server errors and SMS spend. All go to one encrypted SNS topic (subscribe an address with
// -c operatorEmail).
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

export type MonitoringProps = {
  masterKey: kms.IKey;
  operatorEmail?: string;
  functions: Record<string, lambda.IFunction>;
  /** Functions whose throttling means someone hit the abuse cap (reserved concurrency). */
  throttleWatched: Record<string, lambda.IFunction>;
  stateMachine: sfn.IStateMachine;
  deadLetterQueues: Record<string, sqs.IQueue>;
  apiStage: apigwv2.HttpStage;
  smsMonthlySpendLimitUsd: number;
};

export class Monitoring extends Construct {
  readonly topic: sns.Topic;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    this.topic = new sns.Topic(this, 'OperatorTopic', {
      displayName: 'mailsign operator alarms',
      masterKey: props.masterKey,
      enforceSSL: true,
    });
    if (props.operatorEmail) this.topic.addSubscription(new subscriptions.EmailSubscription(props.operatorEmail));
    const action = new cwActions.SnsAction(this.topic);
    const alarm = (name: string, metric: cloudwatch.IMetric, threshold: number, description: string) => {
      const created = new cloudwatch.Alarm(this, name, {
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
      created.addAlarmAction(action);
      return created;
    };
    const fiveMinutes = { period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM };

    for (const [name, fn] of Object.entries(props.functions)) {
      alarm(`${name}Errors`, fn.metricErrors(fiveMinutes), 1, `The ${name} function failed (see its log group).`);
    }
    for (const [name, fn] of Object.entries(props.throttleWatched)) {
      alarm(
        `${name}Throttles`,
        fn.metricThrottles(fiveMinutes),
        1,
        `The ${name} function hit its reserved concurrency (possible SMS abuse).`,
      );
    }
    alarm(
      'FinalizeFailed',
      props.stateMachine.metricFailed(fiveMinutes),
      1,
      'A finalization failed: the envelope is marked failed and its sender was told.',
    );
    alarm('FinalizeTimedOut', props.stateMachine.metricTimedOut(fiveMinutes), 1, 'A finalization timed out.');
    for (const [name, queue] of Object.entries(props.deadLetterQueues)) {
      alarm(
        `${name}DeadLetters`,
        queue.metricApproximateNumberOfMessagesVisible({
          period: Duration.minutes(5),
          statistic: cloudwatch.Stats.MAXIMUM,
        }),
        1,
        `Events the ${name} function could not process are waiting in its dead-letter queue.`,
      );
    }
    // The service's own metrics (Powertools EMF, lambdas/runtime/aws/observability.ts).
    const serviceMetric = (metricName: string, period: Duration) =>
      new cloudwatch.Metric({
        namespace: 'mailsign',
        metricName,
        dimensionsMap: { service: 'mailsign' },
        period,
        statistic: cloudwatch.Stats.SUM,
      });
    alarm(
      'FinalizationFailures',
      serviceMetric('FinalizationFailures', Duration.minutes(5)),
      1,
      'A finalization failed and went to NotifyFailure (the state machine ' +
        'caught it, so its own Failed metric stays 0).',
    );
    alarm(
      'ChargesPendingOverAnHour',
      serviceMetric('ChargesPending', Duration.hours(1)),
      1,
      'A signature charge was left pending (not decided at once) in the last hour: see the PENDING-CHARGES index.',
    );
    alarm(
      'ChargesPendingLeft',
      serviceMetric('ChargesPendingLeft', Duration.days(1)),
      1,
      'The daily job found pending charges it could not settle: they have been pending for more than an hour.',
    );
    alarm('ApiServerErrors', props.apiStage.metricServerError(fiveMinutes), 5, 'The HTTP API answered 5xx repeatedly.');
    alarm(
      'SmsSpend',
      new cloudwatch.Metric({
        namespace: 'AWS/SNS',
        metricName: 'SMSMonthToDateSpentUSD',
        period: Duration.hours(1),
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
      props.smsMonthlySpendLimitUsd * 0.8,
      'SMS spending reached 80% of the monthly limit; at 100% SNS stops sending one-time codes.',
    );
  }
}
