// The finalize state machine, loaded from the one definition lib/workflows/finalize.asl.json
// (the local runner loads the same file) with the Lambda ARNs substituted. STANDARD: each step
// runs exactly once per attempt and the execution name (envelope id) is unique for 90 days.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

export const FINALIZE_ASL_PATH = join(dirname(fileURLToPath(import.meta.url)), '..', 'workflows', 'finalize.asl.json');

export type FinalizeSteps = {
  prepare: lambda.IFunction;
  assemble: lambda.IFunction;
  certify: lambda.IFunction;
  deliver: lambda.IFunction;
  complete: lambda.IFunction;
  notifyFailure: lambda.IFunction;
};

export type FinalizeWorkflowProps = { steps: FinalizeSteps; logRetention: logs.RetentionDays };

export class FinalizeWorkflow extends Construct {
  readonly stateMachine: sfn.StateMachine;

  constructor(scope: Construct, id: string, props: FinalizeWorkflowProps) {
    super(scope, id);
    const { steps } = props;
    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromFile(FINALIZE_ASL_PATH),
      definitionSubstitutions: {
        PrepareFunctionArn: steps.prepare.functionArn,
        AssembleFunctionArn: steps.assemble.functionArn,
        CertifyFunctionArn: steps.certify.functionArn,
        DeliverFunctionArn: steps.deliver.functionArn,
        CompleteFunctionArn: steps.complete.functionArn,
        NotifyFailureFunctionArn: steps.notifyFailure.functionArn,
      },
      timeout: Duration.hours(2),
      tracingEnabled: true,
      // Inputs carry ids only, but execution data is still kept out of the logs on principle.
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
    });
    // fromFile cannot see the ARNs inside the definition: grant each invocation explicitly, on
    // the unqualified ARNs the definition uses (no version wildcard).
    this.stateMachine.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: Object.values(steps).map((step) => step.functionArn),
      }),
    );
    Validations.of(this.stateMachine).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'X-Ray tracing and CloudWatch Logs delivery (logs:CreateLogDelivery and ' +
        'friends) only accept Resource "*"; CDK generates these statements for ' +
        'tracing and logging.',
    });
  }
}
