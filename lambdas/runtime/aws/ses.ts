// Mailer on SES v2 (SendEmail with raw content, up to 40 MB).
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { createSesMailer } from '../../adapters/aws/ses-mailer.ts';
import { sharedClient, type AwsAdapterFactory } from './aws-root.ts';

export const awsMailer: AwsAdapterFactory<'mailer'> = (config) =>
  createSesMailer({ client: sharedClient('SESv2Client', () => new SESv2Client({ region: config.region })) });
