// `mailsign cert csr|install` with the real KMS and S3 clients against aws-sdk-client-mock; the
// KMS key is a local RSA key, the CA is built here with pkijs and WebCrypto.
import { generateKeyPairSync, verify, webcrypto } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KMSClient } from '@aws-sdk/client-kms';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCertCommand } from '../../../bin/commands/cert.ts';
import { formatPem, parseDistinguishedName } from '../../../lambdas/adapters/node/x509.ts';
import { createFakeKmsKey, mockKmsWithKey } from './kms-test-key.ts';

const kmsKey = createFakeKmsKey();
const otherKey = createFakeKmsKey();
const dir = mkdtempSync(join(tmpdir(), 'mailsign-cert-'));

async function issue(options: {
  subject: string;
  issuer: string;
  spki: Uint8Array;
  signer: CryptoKey;
  ca: boolean;
}): Promise<Uint8Array> {
  const certificate = new pkijs.Certificate({
    version: 2,
    serialNumber: new asn1js.Integer({ value: Math.floor(Math.random() * 1e9) }),
    subject: parseDistinguishedName(options.subject),
    issuer: parseDistinguishedName(options.issuer),
    subjectPublicKeyInfo: pkijs.PublicKeyInfo.fromBER(new Uint8Array(options.spki)),
    notBefore: new pkijs.Time({ type: 0, value: new Date(Date.now() - 86_400_000) }),
    notAfter: new pkijs.Time({ type: 0, value: new Date(Date.now() + 365 * 86_400_000) }),
    extensions: [
      new pkijs.Extension({
        extnID: '2.5.29.19',
        critical: true,
        extnValue: new pkijs.BasicConstraints({ cA: options.ca }).toSchema().toBER(false),
      }),
    ],
  });
  await certificate.sign(options.signer, 'SHA-256');
  return new Uint8Array(certificate.toSchema(true).toBER(false));
}

let caCert: Uint8Array;
let leafForKms: Uint8Array;
let leafForOther: Uint8Array;

beforeAll(async () => {
  const ca = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const caSigner = await webcrypto.subtle.importKey(
    'pkcs8',
    ca.privateKey.export({ type: 'pkcs8', format: 'der' }),
    { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const caSpki = new Uint8Array(ca.publicKey.export({ type: 'spki', format: 'der' }));
  caCert = await issue({
    subject: 'CN=Test Root CA, C=FR',
    issuer: 'CN=Test Root CA, C=FR',
    spki: caSpki,
    signer: caSigner as CryptoKey,
    ca: true,
  });
  leafForKms = await issue({
    subject: 'CN=Example seal, O=Example SAS, C=FR',
    issuer: 'CN=Test Root CA, C=FR',
    spki: kmsKey.spki,
    signer: caSigner as CryptoKey,
    ca: false,
  });
  leafForOther = await issue({
    subject: 'CN=Other seal, C=FR',
    issuer: 'CN=Test Root CA, C=FR',
    spki: otherKey.spki,
    signer: caSigner as CryptoKey,
    ca: false,
  });
});

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    options: { stdout: (text: string) => void out.push(text), stderr: (text: string) => void err.push(text) },
  };
}

function writeChain(name: string, certificates: Uint8Array[]): string {
  const path = join(dir, name);
  writeFileSync(path, certificates.map((der) => formatPem({ label: 'CERTIFICATE', der })).join('\n'));
  return path;
}

describe('mailsign cert csr', () => {
  afterEach(() => mockClient(KMSClient).restore());

  it('builds a PKCS#10 request whose signature verifies with the KMS public key', async () => {
    mockKmsWithKey({ key: kmsKey });
    const io = capture();
    const code = await runCertCommand(
      ['csr', '--subject', 'CN=Example seal, O=Example SAS, C=FR', '--key-id', 'alias/mailsign-seal'],
      {
        ...io.options,
        kms: new KMSClient({ region: 'eu-west-1' }),
      },
    );
    expect(io.err.join('')).toBe('');
    expect(code).toBe(0);
    const pem = io.out.join('');
    expect(pem).toMatch(/^-----BEGIN CERTIFICATE REQUEST-----\n/);
    const der = Buffer.from(pem.replace(/-----[^-]+-----|\s+/g, ''), 'base64');
    const request = pkijs.CertificationRequest.fromBER(new Uint8Array(der));
    expect(await request.verify()).toBe(true);
    const spki = Buffer.from(request.subjectPublicKeyInfo.toSchema().toBER(false));
    expect(spki.equals(Buffer.from(kmsKey.spki))).toBe(true);
    expect(
      verify(
        'sha256',
        Buffer.from(request.tbsView),
        kmsKey.publicKey,
        Buffer.from(request.signatureValue.valueBlock.valueHexView),
      ),
    ).toBe(true);
    expect(request.subject.typesAndValues.map((item) => item.value.valueBlock.value)).toEqual([
      'Example seal',
      'Example SAS',
      'FR',
    ]);
    expect(request.attributes?.[0]?.type).toBe('1.2.840.113549.1.9.14');
  });

  it('needs a subject', async () => {
    const io = capture();
    expect(await runCertCommand(['csr'], { ...io.options, kms: new KMSClient({ region: 'eu-west-1' }) })).toBe(1);
    expect(io.err.join('')).toMatch(/--subject/);
  });
});

describe('mailsign cert install', () => {
  const s3 = mockClient(S3Client);
  afterEach(() => {
    s3.reset();
    mockClient(KMSClient).restore();
  });

  it('stores a chain whose leaf certifies the KMS key', async () => {
    mockKmsWithKey({ key: kmsKey });
    s3.on(PutObjectCommand).resolves({});
    const io = capture();
    const file = writeChain('good.pem', [leafForKms, caCert]);
    const code = await runCertCommand(['install', file, '--bucket', 'docs-bucket'], {
      ...io.options,
      kms: new KMSClient({ region: 'eu-west-1' }),
      s3: new S3Client({ region: 'eu-west-1' }),
    });
    expect(io.err.join('')).toBe('');
    expect(code).toBe(0);
    const input = s3.commandCalls(PutObjectCommand)[0]?.args[0].input;
    expect(input).toMatchObject({
      Bucket: 'docs-bucket',
      Key: 'config/seal-chain.pem',
      ContentType: 'application/x-pem-file',
    });
    expect(String(input?.Body).match(/BEGIN CERTIFICATE/g)).toHaveLength(2);
    expect(io.out.join('')).toContain('Installed 2 certificate(s)');
  });

  it('refuses a chain whose leaf does not match the KMS public key, and stores nothing', async () => {
    mockKmsWithKey({ key: kmsKey });
    const io = capture();
    const file = writeChain('other.pem', [leafForOther, caCert]);
    const code = await runCertCommand(['install', file, '--bucket', 'docs-bucket'], {
      ...io.options,
      kms: new KMSClient({ region: 'eu-west-1' }),
      s3: new S3Client({ region: 'eu-west-1' }),
    });
    expect(code).toBe(1);
    expect(io.err.join('')).toMatch(/does not certify the public key of KMS key alias\/mailsign-seal/);
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
  });

  it('refuses a chain in the wrong order or with a broken link', async () => {
    mockKmsWithKey({ key: kmsKey });
    const options = { kms: new KMSClient({ region: 'eu-west-1' }), s3: new S3Client({ region: 'eu-west-1' }) };
    const reversed = capture();
    expect(
      await runCertCommand(['install', writeChain('reversed.pem', [caCert, leafForKms]), '--bucket', 'b'], {
        ...reversed.options,
        ...options,
      }),
    ).toBe(1);
    const broken = capture();
    expect(
      await runCertCommand(['install', writeChain('broken.pem', [leafForKms, leafForOther]), '--bucket', 'b'], {
        ...broken.options,
        ...options,
      }),
    ).toBe(1);
    expect(broken.err.join('')).toMatch(/not signed by certificate 2/);
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
  });

  it('needs a bucket and a file', async () => {
    const io = capture();
    expect(await runCertCommand(['install', join(dir, 'good.pem')], io.options)).toBe(1);
    expect(io.err.join('')).toMatch(/--bucket/);
  });
});
