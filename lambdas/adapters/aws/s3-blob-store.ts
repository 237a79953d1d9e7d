// BlobStore on an S3 bucket (optionally under a prefix). Also used locally against s3rver.
import { DeleteObjectCommand, GetObjectCommand, NoSuchKey, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { BlobStore } from '../../core/ports.ts';

export type S3BlobStoreOptions = {
  client: S3Client;
  bucket: string;
  prefix?: string;
  /** Builds presigned download URLs; omitted where direct download is not offered. */
  presign?: (options: { client: S3Client; command: GetObjectCommand; expiresIn: number }) => Promise<string>;
};

export function createS3BlobStore(options: S3BlobStoreOptions): BlobStore {
  const { client, bucket } = options;
  const prefix = options.prefix ?? '';
  const store: BlobStore = {
    async put({ key, body, contentType }) {
      await client.send(
        new PutObjectCommand({ Bucket: bucket, Key: prefix + key, Body: body, ContentType: contentType }),
      );
    },
    async get(key) {
      try {
        const result = await client.send(new GetObjectCommand({ Bucket: bucket, Key: prefix + key }));
        if (!result.Body) return undefined;
        return await result.Body.transformToByteArray();
      } catch (error) {
        const name = (error as Error)?.name;
        if (error instanceof NoSuchKey || name === 'NoSuchKey' || name === 'NotFound') return undefined;
        throw error;
      }
    },
    async delete(key) {
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: prefix + key }));
    },
  };
  if (options.presign) {
    const presign = options.presign;
    store.createDownloadUrl = ({ key, fileName, expiresInSeconds }) =>
      presign({
        client,
        expiresIn: expiresInSeconds,
        command: new GetObjectCommand({
          Bucket: bucket,
          Key: prefix + key,
          ResponseContentDisposition: `attachment; filename*=UTF-8''${encodeURIComponent(fileName)}`,
        }),
      });
  }
  return store;
}
