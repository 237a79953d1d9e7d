// Raw mail and documents on S3, one S3 client per execution environment.
import { S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { AppConfig } from '../../config.ts';
import { createS3BlobStore } from '../../adapters/aws/s3-blob-store.ts';
import { sharedClient, type AwsAdapterFactory } from './aws-root.ts';

const s3 = (config: AppConfig) => sharedClient('S3Client', () => new S3Client({ region: config.region }));

// SES's S3 action writes `<prefix><messageId>`: the store is rooted at the prefix.
export const awsRawMail: AwsAdapterFactory<'rawMail'> = (config) =>
  createS3BlobStore({ client: s3(config), bucket: config.rawBucket, prefix: config.rawPrefix });

export const awsDocuments: AwsAdapterFactory<'documents'> = (config) =>
  createS3BlobStore({
    client: s3(config),
    bucket: config.documentsBucket,
    // Large PDFs go straight from S3: a Lambda response stops at 6 MB.
    presign: ({ client, command, expiresIn }) => getSignedUrl(client, command, { expiresIn }),
  });
