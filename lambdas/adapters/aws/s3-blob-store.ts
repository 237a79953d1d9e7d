// BlobStore on an S3 bucket (optionally under a prefix). Also used locally against s3rver.
// A body whose length is announced is read straight into one buffer of that size: documents are
// tens of MB, and collecting the chunks then concatenating them copies each byte twice. Each chunk
// is also handed to the caller as it arrives (`onChunk`: a document is hashed while it downloads);
// `readChunks` only hands them on, for a file that passes through and is never needed whole.
import {
  DeleteObjectCommand,
  GetObjectCommand,
  type GetObjectCommandOutput,
  NoSuchKey,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { Readable } from 'node:stream';
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
  /** The object's body handed to `read`; undefined when no object has this key. */
  const readBody = async <T>(
    key: string,
    read: (body: NonNullable<GetObjectCommandOutput['Body']>, length: number | undefined) => Promise<T>,
  ): Promise<T | undefined> => {
    try {
      const result = await client.send(new GetObjectCommand({ Bucket: bucket, Key: prefix + key }));
      if (!result.Body) return undefined;
      return await read(result.Body, result.ContentLength);
    } catch (error) {
      const name = (error as Error)?.name;
      if (error instanceof NoSuchKey || name === 'NoSuchKey' || name === 'NotFound') return undefined;
      throw error;
    }
  };
  const store: BlobStore = {
    async put({ key, body, contentType }) {
      await client.send(
        new PutObjectCommand({ Bucket: bucket, Key: prefix + key, Body: body, ContentType: contentType }),
      );
    },
    async putStream({ key, chunks, size, contentType }) {
      // A known length: S3 stores the object only once that many bytes have arrived. The HTTP
      // client pipes the body without watching it: a failing stream aborts the request itself.
      const abort = new AbortController();
      let failure: { error: unknown } | undefined;
      const body = Readable.from(exactly(chunks, size), { objectMode: false });
      body.once('error', (error) => {
        failure = { error };
        abort.abort(error);
      });
      try {
        await client.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: prefix + key,
            Body: body,
            ContentLength: size,
            ContentType: contentType,
          }),
          { abortSignal: abort.signal },
        );
      } catch (error) {
        throw failure ? failure.error : error;
      }
    },
    async get(key, getOptions) {
      const onChunk = getOptions?.onChunk;
      return await readBody(key, async (body, length) =>
        length === undefined || !isAsyncIterable(body)
          ? await readWhole(body, onChunk)
          : await readExactly(body, length, onChunk),
      );
    },
    async readChunks(key, onChunk) {
      return await readBody(key, async (body, length) => {
        if (length === undefined || !isAsyncIterable(body)) return (await readWhole(body, onChunk)).byteLength;
        await passExactly(body, length, onChunk);
        return length;
      });
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

/** The chunks, refused (the request aborted) as soon as they would not add up to `size`. */
async function* exactly(chunks: AsyncIterable<Uint8Array>, size: number): AsyncGenerator<Uint8Array> {
  let total = 0;
  for await (const chunk of chunks) {
    total += chunk.byteLength;
    if (total > size) throw new Error(`The object's chunks exceed its announced ${size} bytes`);
    yield chunk;
  }
  if (total !== size) throw new Error(`The object's chunks came to ${total} bytes, not the announced ${size}`);
}

function isAsyncIterable(body: unknown): body is AsyncIterable<Uint8Array> {
  return typeof body === 'object' && body !== null && Symbol.asyncIterator in body;
}

/** The body's bytes, which must be exactly `length` (a shorter or longer body is a broken transfer). */
async function readExactly(
  body: AsyncIterable<Uint8Array>,
  length: number,
  onChunk: ((chunk: Uint8Array) => void) | undefined,
): Promise<Uint8Array> {
  // Every byte is written below, or the transfer is refused: no zero-filling first.
  const bytes = new Uint8Array(Buffer.allocUnsafeSlow(length).buffer, 0, length);
  let at = 0;
  await passExactly(body, length, (chunk) => {
    bytes.set(chunk, at);
    at += chunk.byteLength;
    onChunk?.(chunk);
  });
  return bytes;
}

/** A body of unannounced length (or not a stream): read whole, then told at once. */
async function readWhole(
  body: NonNullable<GetObjectCommandOutput['Body']>,
  onChunk: ((chunk: Uint8Array) => void) | undefined,
): Promise<Uint8Array> {
  const bytes = await body.transformToByteArray();
  onChunk?.(bytes);
  return bytes;
}

/** Each chunk of the body to `onChunk`; the body must be exactly `length` bytes (as readExactly). */
async function passExactly(
  body: AsyncIterable<Uint8Array>,
  length: number,
  onChunk: (chunk: Uint8Array) => void,
): Promise<void> {
  let at = 0;
  for await (const chunk of body) {
    if (at + chunk.byteLength > length) throw brokenTransfer(length);
    at += chunk.byteLength;
    onChunk(chunk);
  }
  if (at !== length) throw brokenTransfer(length);
}

/** What Node's HTTP client reports for a response cut short: a reset connection, which is retried. */
function brokenTransfer(length: number): Error {
  return Object.assign(new Error(`The object's body did not have its announced ${length} bytes`), {
    code: 'ECONNRESET',
  });
}
