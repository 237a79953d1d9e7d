// SMS on SNS.
import { SNSClient } from '@aws-sdk/client-sns';
import { createSnsSmsSender } from '../../adapters/aws/sns-sms-sender.ts';
import { sharedClient, type AwsAdapterFactory } from './aws-root.ts';

export const awsSms: AwsAdapterFactory<'sms'> = (config) =>
  createSnsSmsSender({
    client: sharedClient('SNSClient', () => new SNSClient({ region: config.region })),
    senderId: config.smsSenderId,
  });
