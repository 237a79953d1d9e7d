// SES receiving: one receipt rule set with one rule for the inbound address. SES first stores
// the raw message in S3 (so nothing is lost even if intake fails), then invokes intake
// asynchronously. Spam/virus scanning on, TLS required from the sending server.
// A region has one *active* rule set: activating it is an operator step (docs/deploy.md).
import { Validations } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as actions from 'aws-cdk-lib/aws-ses-actions';
import { Construct } from 'constructs';

export type InboundMailProps = {
  ruleSetName: string;
  /** Addresses or domains SES accepts for this rule. */
  recipients: string[];
  rawMailBucket: s3.IBucket;
  rawPrefix: string;
  intake: lambda.IFunction;
};

export class InboundMail extends Construct {
  readonly ruleSet: ses.ReceiptRuleSet;

  constructor(scope: Construct, id: string, props: InboundMailProps) {
    super(scope, id);
    this.ruleSet = new ses.ReceiptRuleSet(this, 'RuleSet', { receiptRuleSetName: props.ruleSetName });
    const rule = this.ruleSet.addRule('Intake', {
      recipients: props.recipients,
      enabled: true,
      scanEnabled: true,
      tlsPolicy: ses.TlsPolicy.REQUIRE,
      actions: [
        new actions.S3({ bucket: props.rawMailBucket, objectKeyPrefix: props.rawPrefix }),
        new actions.Lambda({ function: props.intake, invocationType: actions.LambdaInvocationType.EVENT }),
      ],
    });
    // The raw-mail bucket lives in the data stack, which grants SES s3:PutObject under the prefix.
    Validations.of(rule).acknowledge({
      id: 'Annotation::@aws-cdk/s3:AddBucketPermissions',
      reason:
        'StatefulStack adds the ses.amazonaws.com s3:PutObject statement (this ' +
        'account, raw-mail prefix) to the bucket policy.',
    });
  }
}
