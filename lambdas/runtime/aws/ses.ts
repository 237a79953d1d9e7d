// Mailer on SES.
import { SESClient } from '@aws-sdk/client-ses';
import { createSesMailer } from '../../adapters/aws/ses-mailer.ts';
import { sharedClient, type AwsAdapterFactory } from './aws-root.ts';

export const awsMailer: AwsAdapterFactory<'mailer'> = (config) =>
  createSesMailer({ client: sharedClient('SESClient', () => new SESClient({ region: config.region })) });
