// cdk-nag findings we accept, each with its written reason, in one file so a reviewer sees every
// exception at once. cdk-nag 3 acknowledges findings one by one (no prefix matching), and the
// wildcard findings of CDK grants name generated export names, so an aspect computes them with
// cdk-nag's own IAM5 rule and acknowledges only those matching a reason below; anything else
// (a new wildcard nobody thought about) still fails the synth.
import { Aspects, type IAspect, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { rules } from 'cdk-nag';
import type { IConstruct } from 'constructs';

export type WildcardReason = {
  finding: RegExp;
  reason: string;
  /** Extra check on the resolved policy document (e.g. which actions use Resource "*"). */
  holds?: (document: PolicyDocumentJson) => boolean;
};

type PolicyStatementJson = { Effect?: string; Action?: string | string[]; Resource?: unknown };
type PolicyDocumentJson = { Statement?: PolicyStatementJson[] };

/** Actions AWS only authorizes on Resource "*" that our tracing and logging need. */
const STAR_ONLY_ACTIONS = new Set([
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'xray:GetSamplingRules',
  'xray:GetSamplingTargets',
  'logs:CreateLogDelivery',
  'logs:GetLogDelivery',
  'logs:UpdateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:DescribeResourcePolicies',
  'logs:DescribeLogGroups',
]);

function onlyStarOnlyActionsOnStar(document: PolicyDocumentJson): boolean {
  return (document.Statement ?? [])
    .filter((statement) => statement.Effect === 'Allow' && ([] as unknown[]).concat(statement.Resource).includes('*'))
    .every((statement) =>
      ([] as string[]).concat(statement.Action ?? []).every((action) => STAR_ONLY_ACTIONS.has(action)),
    );
}

/** Reasons for the IAM5 wildcard findings that the stacks' grants produce. */
export const WILDCARD_REASONS: WildcardReason[] = [
  {
    finding: /^Action::s3:(GetObject\*|GetBucket\*|List\*|DeleteObject\*|Abort\*)$/,
    reason: 'CDK bucket grant action groups (read, write, delete); the resources are only the mailsign buckets.',
  },
  {
    finding: /^Action::kms:(ReEncrypt\*|GenerateDataKey\*)$/,
    reason:
      'Needed to read and write data encrypted with the mailsign data key (CDK grant); the resource is that one key.',
  },
  {
    finding:
      /^Resource::(arn:<AWS::Partition>:s3:::[a-z0-9-]+-(documents|raw-mail)-<AWS::AccountId>-<AWS::Region>|<WebBucket[A-F0-9]+\.Arn>)\/(([A-Za-z0-9!_.'()-]+\/)?|envelopes\/\*\/certified\/)\*$/,
    reason:
      'Object-level access inside one mailsign bucket (raw mail: only under ' +
      'the SES prefix; Deliver: only the certified files); object keys are generated per envelope.',
  },
  {
    finding: /^Resource::arn:<AWS::Partition>:s3:::cdk-[a-z0-9]+-assets-<AWS::AccountId>-<AWS::Region>\/\*$/,
    reason: 'The CDK BucketDeployment reads the web page asset from the CDK bootstrap asset bucket.',
  },
  {
    finding: /^Resource::arn:<AWS::Partition>:ses:<AWS::Region>:<AWS::AccountId>:identity\/\*$/,
    reason:
      'SES authorizes every identity a message involves (the sender and, in ' +
      'the sandbox, recipients); the ses:FromAddress condition limits sending ' +
      'to the service address.',
  },
  {
    finding: /^Resource::\*$/,
    reason:
      'X-Ray PutTraceSegments/PutTelemetryRecords (active tracing) and ' +
      'CloudWatch Logs delivery for Step Functions only accept Resource "*".',
    holds: onlyStarOnlyActionsOnStar,
  },
];

class AcknowledgeExpectedWildcards implements IAspect {
  visit(node: IConstruct): void {
    if (!(node instanceof iam.CfnPolicy)) return;
    const result = rules.iam.IAMNoWildcardPermissions(node);
    if (!Array.isArray(result)) return;
    const document = Stack.of(node).resolve(node.policyDocument) as PolicyDocumentJson;
    for (const finding of result) {
      const match = WILDCARD_REASONS.find(
        (reason) => reason.finding.test(finding) && (reason.holds?.(document) ?? true),
      );
      if (match) Validations.of(node).acknowledge({ id: `AwsSolutions-IAM5[${finding}]`, reason: match.reason });
    }
  }
}

/** Stack-wide acknowledgements plus the wildcard aspect. */
export function acknowledgeExpectedFindings(stack: Stack): void {
  Validations.of(stack).acknowledge({
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    reason: "The AWS managed basic execution role only allows writing the function's own CloudWatch logs.",
  });
  Aspects.of(stack).add(new AcknowledgeExpectedWildcards());
}

/** Used by BucketDeployment's provider function, which CDK manages (runtime chosen by CDK). */
export function acknowledgeCdkManagedFunction(scope: IConstruct): void {
  Validations.of(scope).acknowledge({
    id: 'AwsSolutions-L1',
    reason:
      'A CDK-managed provider function (BucketDeployment / AwsCustomResource); CDK chooses and upgrades its runtime.',
  });
  Validations.of(scope).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason:
      'CDK-generated policy of a CDK provider function: BucketDeployment ' +
      'invalidates the web distribution (cloudfront:CreateInvalidation on ' +
      '"*"), AwsCustomResource calls account-level SNS SMS settings.',
  });
}
