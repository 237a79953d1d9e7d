// The AWS composition root: the one place that chooses the AWS adapters. SDK clients are created
// on first use and kept for the life of the Lambda execution environment (warm invocations reuse
// their connections); the Deps built for one configuration are reused too, so the sealing
// certificate chain is read from S3 (or self-issued through KMS) once per environment.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { SESClient } from '@aws-sdk/client-ses';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import type { AppConfig } from '../config.ts';
import type { Deps } from '../core/deps.ts';
import type { DigestSigner, Workflow } from '../core/ports.ts';
import type { ServiceSettings } from '../core/settings.ts';
import { cryptoRandom, systemClock } from '../adapters/node/system-clock-and-random.ts';
import { createDynamoDbStore } from '../adapters/aws/dynamodb-store.ts';
import { createKmsDigestSigner } from '../adapters/aws/kms-digest-signer.ts';
import { createS3BlobStore } from '../adapters/aws/s3-blob-store.ts';
import { createSesMailer } from '../adapters/aws/ses-mailer.ts';
import { createSfnWorkflow } from '../adapters/aws/sfn-workflow.ts';
import { createSnsSmsSender } from '../adapters/aws/sns-sms-sender.ts';
import './pdf-fonts.ts';

/** A setting this function was not deployed with (the stack gives each function what it needs). */
export class MissingDeploymentSettingError extends Error {
  constructor(options: { variable: string; purpose: string }) {
    super(`${options.variable} is not set for this function, so it cannot ${options.purpose}.`);
    this.name = 'MissingDeploymentSettingError';
  }
}

type Clients = {
  dynamodb?: DynamoDBClient;
  s3?: S3Client;
  ses?: SESClient;
  sns?: SNSClient;
  kms?: KMSClient;
  sfn?: SFNClient;
};
const clients: Clients = {};
const depsByConfig = new WeakMap<AppConfig, Deps>();

function lazy<K extends keyof Clients>(name: K, create: () => NonNullable<Clients[K]>): NonNullable<Clients[K]> {
  const existing = clients[name];
  if (existing) return existing as NonNullable<Clients[K]>;
  const created = create();
  clients[name] = created;
  return created;
}

export function toServiceSettings(config: AppConfig): ServiceSettings {
  return {
    publicUrl: config.publicUrl,
    serviceAddress: config.serviceAddress,
    serviceName: config.serviceName,
    inboundAddresses: config.inboundAddresses,
    customerDomains: config.customerDomains,
    linkTtlDays: config.linkTtlDays,
    retentionDays: config.retentionDays,
    closedAccountGraceDays: config.closedAccountGraceDays,
  };
}

export function createAwsDeps(config: AppConfig): Deps {
  const cached = depsByConfig.get(config);
  if (cached) return cached;
  const region = config.region;
  const s3 = () => lazy('s3', () => new S3Client({ region }));
  const documents = createS3BlobStore({
    client: s3(),
    bucket: config.documentsBucket,
    // Large PDFs go straight from S3: a Lambda response stops at 6 MB.
    presign: ({ client, command, expiresIn }) => getSignedUrl(client, command, { expiresIn }),
  });
  const deps: Deps = {
    store: createDynamoDbStore({ client: lazy('dynamodb', () => new DynamoDBClient({ region })), table: config.table }),
    // SES's S3 action writes `<prefix><messageId>`: the store is rooted at the prefix.
    rawMail: createS3BlobStore({ client: s3(), bucket: config.rawBucket, prefix: config.rawPrefix }),
    documents,
    mailer: createSesMailer({ client: lazy('ses', () => new SESClient({ region })) }),
    sms: createSnsSmsSender({ client: lazy('sns', () => new SNSClient({ region })), senderId: config.smsSenderId }),
    digestSigner: createDigestSigner({ config, readChain: () => documents.get(config.sealChainKey) }),
    workflow: createWorkflow(config),
    clock: systemClock,
    random: cryptoRandom,
    settings: toServiceSettings(config),
  };
  depsByConfig.set(config, deps);
  return deps;
}

function createDigestSigner(options: {
  config: AppConfig;
  readChain: () => Promise<Uint8Array | undefined>;
}): DigestSigner {
  const { config } = options;
  const keyId = config.sealKeyId;
  if (!keyId) return unavailableDigestSigner();
  return createKmsDigestSigner({
    client: lazy('kms', () => new KMSClient({ region: config.region })),
    keyId,
    readInstalledChain: options.readChain,
    clock: systemClock,
    fallbackSubject: `CN=${escapeDnValue(config.serviceName)} document seal (self-issued), O=${escapeDnValue(config.serviceName)}`,
  });
}

function unavailableDigestSigner(): DigestSigner {
  const fail = (): never => {
    throw new MissingDeploymentSettingError({ variable: 'MAILSIGN_SEAL_KEY_ID', purpose: 'seal documents' });
  };
  return { signDigest: async () => fail(), certificateChain: async () => fail() };
}

function createWorkflow(config: AppConfig): Workflow {
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
  return createSfnWorkflow({ client: lazy('sfn', () => new SFNClient({ region: config.region })), stateMachineArn });
}

function escapeDnValue(value: string): string {
  return value.replace(/,/g, '\\,');
}
