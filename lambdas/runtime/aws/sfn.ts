// Workflow on Step Functions (execution name = envelope id).
import { SFNClient } from '@aws-sdk/client-sfn';
import { createSfnWorkflow } from '../../adapters/aws/sfn-workflow.ts';
import { MissingDeploymentSettingError, sharedClient, type AwsAdapterFactory } from './aws-root.ts';

export const awsWorkflow: AwsAdapterFactory<'workflow'> = (config) => {
  const stateMachineArn = config.stateMachineArn;
  if (!stateMachineArn) {
    return {
      startFinalization: async () => {
        throw new MissingDeploymentSettingError({
          variable: 'MAILSIGN_STATE_MACHINE_ARN',
          purpose: 'start finalization',
        });
      },
    };
  }
  return createSfnWorkflow({
    client: sharedClient('SFNClient', () => new SFNClient({ region: config.region })),
    stateMachineArn,
  });
};
