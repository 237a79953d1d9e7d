// DigestSigner on KMS; the certificate chain installed in the documents bucket (read once per
// environment), or self-issued through KMS. pkijs and asn1js come with it: only Certify has them.
import { KMSClient } from '@aws-sdk/client-kms';
import { createKmsDigestSigner } from '../../adapters/aws/kms-digest-signer.ts';
import { systemClock } from '../../adapters/node/system-clock-and-random.ts';
import type { DigestSigner } from '../../core/ports.ts';
import { MissingDeploymentSettingError, sharedClient, type AwsAdapterFactory } from './aws-root.ts';
import { awsDocuments } from './s3.ts';

function unavailableDigestSigner(): DigestSigner {
  const fail = (): never => {
    throw new MissingDeploymentSettingError({ variable: 'MAILSIGN_SEAL_KEY_ID', purpose: 'seal documents' });
  };
  return { signDigest: async () => fail(), certificateChain: async () => fail() };
}

function escapeDnValue(value: string): string {
  return value.replace(/,/g, '\\,');
}

export const awsDigestSigner: AwsAdapterFactory<'digestSigner'> = (config) => {
  const keyId = config.sealKeyId;
  if (!keyId) return unavailableDigestSigner();
  const documents = awsDocuments(config);
  return createKmsDigestSigner({
    client: sharedClient('KMSClient', () => new KMSClient({ region: config.region })),
    keyId,
    readInstalledChain: () => documents.get(config.sealChainKey),
    clock: systemClock,
    fallbackSubject:
      `CN=${escapeDnValue(config.serviceName)} document seal (self-issued), ` +
      `O=${escapeDnValue(config.serviceName)}`,
  });
};
