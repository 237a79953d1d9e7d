// A local RSA key that plays the KMS sealing key: GetPublicKey and Sign (DIGEST mode) answered
// through aws-sdk-client-mock with node:crypto, so the real KMS client and commands run.
import { generateKeyPairSync, privateEncrypt, constants, type KeyObject } from 'node:crypto';
import { GetPublicKeyCommand, KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';

const SHA256_DIGEST_INFO = Buffer.from('3031300d060960864801650304020105000420', 'hex');

export type FakeKmsKey = { privateKey: KeyObject; publicKey: KeyObject; spki: Uint8Array };

export function createFakeKmsKey(): FakeKmsKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 3072 });
  return { privateKey, publicKey, spki: new Uint8Array(publicKey.export({ type: 'spki', format: 'der' })) };
}

/** RSASSA-PKCS1-v1_5 over a precomputed SHA-256 digest, as KMS does with MessageType DIGEST. */
export function signDigestLocally(options: { key: FakeKmsKey; digest: Uint8Array }): Uint8Array {
  const block = Buffer.concat([SHA256_DIGEST_INFO, Buffer.from(options.digest)]);
  return new Uint8Array(privateEncrypt({ key: options.key.privateKey, padding: constants.RSA_PKCS1_PADDING }, block));
}

export function mockKmsWithKey(options: { key: FakeKmsKey }) {
  const kms = mockClient(KMSClient);
  kms.on(GetPublicKeyCommand).resolves({ PublicKey: options.key.spki, KeyUsage: 'SIGN_VERIFY', KeySpec: 'RSA_3072' });
  kms.on(SignCommand).callsFake((input: { Message?: Uint8Array; MessageType?: string }) => {
    if (input.MessageType !== 'DIGEST' || !input.Message) throw new Error('test KMS expects DIGEST signing');
    return {
      Signature: signDigestLocally({ key: options.key, digest: input.Message }),
      SigningAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256',
    };
  });
  return kms;
}
