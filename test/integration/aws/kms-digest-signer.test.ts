// The KMS DigestSigner with the real KMS client against aws-sdk-client-mock backed by a local key.
import { createHash, verify, X509Certificate } from 'node:crypto';
import {
  GetPublicKeyCommand,
  KMSClient,
  KMSInternalException,
  NotFoundException,
  SignCommand,
} from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import * as pkijs from 'pkijs';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createKmsDigestSigner,
  createSelfIssuedCertificate,
  SealingError,
} from '../../../lambdas/adapters/aws/kms-digest-signer.ts';
import { formatPem } from '../../../lambdas/adapters/node/x509.ts';
import { createFakeKmsKey, mockKmsWithKey } from './kms-test-key.ts';

const key = createFakeKmsKey();
const otherKey = createFakeKmsKey();
const clock = { now: () => new Date('2025-03-01T10:00:00Z') };

function signerWith(options: { chain?: Uint8Array }) {
  return createKmsDigestSigner({
    client: new KMSClient({ region: 'eu-west-1' }),
    keyId: 'alias/mailsign-seal',
    readInstalledChain: async () => options.chain,
    clock,
    fallbackSubject: 'CN=mailsign document seal (self-issued), O=mailsign',
  });
}

describe('KMS digest signer', () => {
  afterEach(() => {
    mockClient(KMSClient).restore();
  });

  it('signs a SHA-256 digest in DIGEST mode with PKCS#1 v1.5', async () => {
    const kms = mockKmsWithKey({ key });
    const message = Buffer.from('signed attributes');
    const digest = createHash('sha256').update(message).digest();
    const signature = await signerWith({}).signDigest(digest);
    expect(verify('sha256', message, key.publicKey, Buffer.from(signature))).toBe(true);
    const input = kms.commandCalls(SignCommand)[0]?.args[0].input;
    expect(input).toMatchObject({
      KeyId: 'alias/mailsign-seal',
      MessageType: 'DIGEST',
      SigningAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256',
    });
  });

  it('refuses a digest that is not 32 bytes', async () => {
    mockKmsWithKey({ key });
    await expect(signerWith({}).signDigest(new Uint8Array(20))).rejects.toBeInstanceOf(SealingError);
  });

  it('self-issues a certificate signed by the KMS key when none is installed, once per process', async () => {
    const kms = mockKmsWithKey({ key });
    const signer = signerWith({});
    const [leaf, ...rest] = await signer.certificateChain();
    expect(rest).toHaveLength(0);
    const x509 = new X509Certificate(Buffer.from(leaf!));
    expect(x509.verify(key.publicKey)).toBe(true);
    expect(x509.subject).toContain('CN=mailsign document seal (self-issued)');
    expect(x509.ca).toBe(false);
    expect(new Date(x509.validFrom).getTime()).toBeLessThanOrEqual(clock.now().getTime());
    expect(await signer.usesSelfIssuedCertificate()).toBe(true);
    await signer.certificateChain();
    expect(kms.commandCalls(GetPublicKeyCommand)).toHaveLength(1);
    expect(kms.commandCalls(SignCommand)).toHaveLength(1);
    const parsed = pkijs.Certificate.fromBER(new Uint8Array(leaf!));
    expect(await parsed.verify()).toBe(true);
  });

  it('returns the installed chain when its leaf matches the KMS key', async () => {
    const kms = mockKmsWithKey({ key });
    const leaf = await createSelfIssuedCertificate({
      client: new KMSClient({ region: 'eu-west-1' }),
      keyId: 'k',
      subject: 'CN=Seal, O=Example SAS, C=FR',
      notBefore: clock.now(),
      validityDays: 365,
    });
    kms.resetHistory();
    const pem = formatPem({ label: 'CERTIFICATE', der: leaf }) + formatPem({ label: 'CERTIFICATE', der: leaf });
    const signer = signerWith({ chain: new TextEncoder().encode(pem) });
    const chain = await signer.certificateChain();
    expect(chain).toHaveLength(2);
    expect(Buffer.from(chain[0]!).equals(Buffer.from(leaf))).toBe(true);
    expect(await signer.usesSelfIssuedCertificate()).toBe(false);
  });

  it('refuses an installed chain made for another key', async () => {
    mockKmsWithKey({ key: otherKey });
    const leaf = await createSelfIssuedCertificate({
      client: new KMSClient({ region: 'eu-west-1' }),
      keyId: 'k',
      subject: 'CN=Other',
      notBefore: clock.now(),
      validityDays: 365,
    });
    mockKmsWithKey({ key });
    const signer = signerWith({ chain: new TextEncoder().encode(formatPem({ label: 'CERTIFICATE', der: leaf })) });
    await expect(signer.certificateChain()).rejects.toMatchObject({ name: 'SealingError', code: 'CHAIN_MISMATCH' });
  });

  it('maps KMS throttling and internal errors to a transient SealingError (the state machine retries)', async () => {
    const kms = mockClient(KMSClient);
    kms
      .on(SignCommand)
      .rejects(
        Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } }),
      );
    const client = new KMSClient({ region: 'eu-west-1', maxAttempts: 1 });
    const signer = createKmsDigestSigner({
      client,
      keyId: 'k',
      readInstalledChain: async () => undefined,
      clock,
      fallbackSubject: 'CN=x',
    });
    const error = await signer.signDigest(new Uint8Array(32)).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'SealingError', code: 'THROTTLED', transient: true });
    expect((error as Error).cause).toBeInstanceOf(Error);

    kms.on(SignCommand).rejects(new KMSInternalException({ message: 'internal', $metadata: { httpStatusCode: 500 } }));
    await expect(signer.signDigest(new Uint8Array(32))).rejects.toMatchObject({ code: 'UNAVAILABLE', transient: true });
  });

  it('maps a missing or disabled key to a permanent SealingError', async () => {
    const kms = mockClient(KMSClient);
    kms.on(SignCommand).rejects(new NotFoundException({ message: 'no such key', $metadata: {} }));
    const signer = createKmsDigestSigner({
      client: new KMSClient({ region: 'eu-west-1' }),
      keyId: 'k',
      readInstalledChain: async () => undefined,
      clock,
      fallbackSubject: 'CN=x',
    });
    await expect(signer.signDigest(new Uint8Array(32))).rejects.toMatchObject({
      name: 'SealingError',
      code: 'KEY_NOT_USABLE',
      transient: false,
    });
  });

  it('does not cache a failed chain resolution', async () => {
    const kms = mockClient(KMSClient);
    kms
      .on(GetPublicKeyCommand)
      .rejectsOnce(Object.assign(new Error('slow down'), { name: 'ThrottlingException' }))
      .resolves({ PublicKey: key.spki, KeyUsage: 'SIGN_VERIFY' });
    kms.on(SignCommand).resolves({ Signature: new Uint8Array(384) });
    const signer = signerWith({});
    await expect(signer.certificateChain()).rejects.toMatchObject({ name: 'SealingError', transient: true });
    await expect(signer.certificateChain()).resolves.toHaveLength(1);
  });
});
