// The local composition root: the one place that chooses adapters for `npm start` and the
// end-to-end tests. Data services are the real AWS adapters against dynalite and s3rver; mail
// and SMS go to outbox files; the seal is a key file; finalization runs the real ASL locally.
import { join } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import { createDynamoDbStore } from '../adapters/aws/dynamodb-store.ts';
import { createS3BlobStore } from '../adapters/aws/s3-blob-store.ts';
import { createHttpRevocationSource } from '../adapters/http/http-revocation-source.ts';
import { createHttpTimestampAuthority } from '../adapters/http/rfc3161-timestamp-authority.ts';
import { createKeyFileSigner } from '../adapters/local/key-file-signer.ts';
import { createOutboxMailer, createOutboxSmsSender } from '../adapters/local/outbox.ts';
import { cryptoRandom, systemClock } from '../adapters/node/system-clock-and-random.ts';
import type { Deps } from '../core/deps.ts';
import type { Clock, DigestSigner, Workflow } from '../core/ports.ts';
import type { ServiceSettings } from '../core/settings.ts';
import './pdf-fonts.ts';

export const LOCAL_TABLE = 'mailsign';
export const LOCAL_RAW_BUCKET = 'mailsign-raw-mail';
export const LOCAL_DOCUMENTS_BUCKET = 'mailsign-documents';
export const LOCAL_RAW_PREFIX = 'inbound/';

export type CreateLocalDepsOptions = {
  dataDir: string;
  publicUrl: string;
  dynamodb: DynamoDBClient;
  s3: S3Client;
  /** Set once the workflow runner exists: it needs these deps itself. */
  workflow: Workflow;
  clock?: Clock;
  settings?: Partial<ServiceSettings>;
  /** The root CRL the local stack serves: the seal certificate names it, Certify embeds it. */
  crlUrl?: string;
  /** Time-stamp services (the local stack's own by default): the seal is then PAdES B-T. */
  tsaUrls?: string[];
  tsaTimeoutMs?: number;
};

export function localSettings(publicUrl: string, overrides: Partial<ServiceSettings> = {}): ServiceSettings {
  return {
    publicUrl: publicUrl.replace(/\/+$/, ''),
    serviceAddress: 'sign@mailsign.localhost',
    serviceName: 'mailsign',
    inboundAddresses: ['sign@mailsign.localhost'],
    customerDomains: [],
    linkTtlDays: 30,
    retentionDays: 365,
    closedAccountGraceDays: 30,
    ...overrides,
  };
}

/** A DigestSigner that creates (or loads) the local seal key on first use, not at start-up. */
function lazyKeyFileSigner(dataDir: string, crlUrl: string | undefined): DigestSigner {
  let signer: Promise<DigestSigner> | undefined;
  const get = () => (signer ??= createKeyFileSigner({ dataDir, crlUrl }));
  return {
    signDigest: async (digest) => (await get()).signDigest(digest),
    certificateChain: async () => (await get()).certificateChain(),
  };
}

export function createLocalDeps(options: CreateLocalDepsOptions): Deps {
  const clock = options.clock ?? systemClock;
  return {
    store: createDynamoDbStore({ client: options.dynamodb, table: LOCAL_TABLE }),
    rawMail: createS3BlobStore({ client: options.s3, bucket: LOCAL_RAW_BUCKET, prefix: LOCAL_RAW_PREFIX }),
    documents: createS3BlobStore({ client: options.s3, bucket: LOCAL_DOCUMENTS_BUCKET }),
    mailer: createOutboxMailer({ directory: join(options.dataDir, 'outbox', 'mail'), clock }),
    sms: createOutboxSmsSender({ directory: join(options.dataDir, 'outbox', 'sms'), clock }),
    digestSigner: lazyKeyFileSigner(options.dataDir, options.crlUrl),
    workflow: options.workflow,
    clock,
    random: cryptoRandom,
    settings: localSettings(options.publicUrl, options.settings),
    ...(options.tsaUrls && options.tsaUrls.length > 0
      ? {
          timestampAuthority: createHttpTimestampAuthority({
            urls: options.tsaUrls,
            timeoutMs: options.tsaTimeoutMs ?? 2000,
          }),
        }
      : {}),
    ...(options.crlUrl ? { revocationSource: createHttpRevocationSource({ clock }) } : {}),
  };
}
