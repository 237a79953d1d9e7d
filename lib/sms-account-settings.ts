// SNS's account-wide SMS settings (transactional type, sender id, monthly spend limit): set by a
// custom resource, as CloudFormation has no resource for them; optional, as they are account-wide.
import { Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as cr from 'aws-cdk-lib/custom-resources';
import type { Construct } from 'constructs';
import type { DeploySettings } from './deploy-settings.ts';

export function applySmsAccountSettings(scope: Construct, settings: DeploySettings): void {
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
  const resource = new cr.AwsCustomResource(scope, 'SmsAccountSettings', {
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
