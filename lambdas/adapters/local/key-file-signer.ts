// The local DigestSigner: on first use it generates a local root CA and a "mailsign local seal"
// certificate (RSA 3072) into <dataDir>/seal/, then reuses them. Keys are PEM files with mode 0600
// and live only in the data directory (never in the repository).
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { constants, createPrivateKey, privateEncrypt, randomBytes, webcrypto } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DigestSigner } from '../../core/ports.ts';
import { formatPem, readPemBlock } from '../node/x509.ts';

export type CreateKeyFileSignerOptions = { dataDir: string };

const FILES = {
  rootKey: 'root-key.pem',
  rootCert: 'root-cert.pem',
  sealKey: 'seal-key.pem',
  sealCert: 'seal-cert.pem',
};
const SHA256_DIGEST_INFO_PREFIX = Buffer.from('3031300d060960864801650304020105000420', 'hex');
const RSA_PARAMS = {
  name: 'RSASSA-PKCS1-v1_5',
  modulusLength: 3072,
  publicExponent: new Uint8Array([1, 0, 1]),
  hash: 'SHA-256',
} as const;

function engine(): pkijs.ICryptoEngine {
  return new pkijs.CryptoEngine({ name: 'node', crypto: webcrypto as unknown as Crypto });
}

type MakeCertificateOptions = {
  subject: string;
  issuer: string;
  publicKey: CryptoKey;
  signingKey: CryptoKey;
  issuerPublicKey: CryptoKey;
  isCa: boolean;
  years: number;
};

async function keyIdentifier(crypto: pkijs.ICryptoEngine, key: CryptoKey): Promise<ArrayBuffer> {
  const spki = await crypto.exportKey('spki', key);
  const info = pkijs.PublicKeyInfo.fromBER(spki);
  return crypto.digest({ name: 'SHA-1' }, new Uint8Array(info.subjectPublicKey.valueBlock.valueHexView));
}

async function makeCertificate(options: MakeCertificateOptions): Promise<ArrayBuffer> {
  const crypto = engine();
  const cert = new pkijs.Certificate();
  cert.version = 2;
  const serial = randomBytes(16);
  serial[0] = serial[0]! & 0x7f;
  cert.serialNumber = new asn1js.Integer({ valueHex: serial });
  // One attribute per RDN (pkijs would put them all in a single multi-valued RDN).
  const name = (cn: string) =>
    pkijs.RelativeDistinguishedNames.fromBER(
      new asn1js.Sequence({
        value: [
          ['2.5.4.10', 'mailsign'],
          ['2.5.4.3', cn],
        ].map(
          ([type, value]) =>
            new asn1js.Set({
              value: [
                new asn1js.Sequence({
                  value: [new asn1js.ObjectIdentifier({ value: type! }), new asn1js.Utf8String({ value: value! })],
                }),
              ],
            }),
        ),
      }).toBER(false),
    );
  cert.subject = name(options.subject);
  cert.issuer = name(options.issuer);
  const now = new Date();
  cert.notBefore.value = new Date(now.getTime() - 60 * 60 * 1000);
  cert.notAfter.value = new Date(now.getTime() + options.years * 365 * 24 * 60 * 60 * 1000);
  await cert.subjectPublicKeyInfo.importKey(options.publicKey, crypto);

  const keyUsageBits = options.isCa ? 0x06 : 0xc0; // keyCertSign|cRLSign, or digitalSignature|nonRepudiation
  const keyUsage = new asn1js.BitString({
    valueHex: new Uint8Array([keyUsageBits]).buffer,
    unusedBits: options.isCa ? 1 : 6,
  });
  cert.extensions = [
    new pkijs.Extension({
      extnID: '2.5.29.19',
      critical: true,
      extnValue: new pkijs.BasicConstraints({ cA: options.isCa }).toSchema().toBER(false),
      parsedValue: new pkijs.BasicConstraints({ cA: options.isCa }),
    }),
    new pkijs.Extension({ extnID: '2.5.29.15', critical: true, extnValue: keyUsage.toBER(false) }),
    new pkijs.Extension({
      extnID: '2.5.29.14',
      extnValue: new asn1js.OctetString({ valueHex: await keyIdentifier(crypto, options.publicKey) }).toBER(false),
    }),
    new pkijs.Extension({
      extnID: '2.5.29.35',
      extnValue: new pkijs.AuthorityKeyIdentifier({
        keyIdentifier: new asn1js.OctetString({ valueHex: await keyIdentifier(crypto, options.issuerPublicKey) }),
      })
        .toSchema()
        .toBER(false),
    }),
  ];
  await cert.sign(options.signingKey, 'SHA-256', crypto);
  return cert.toSchema(true).toBER(false);
}

async function generateSeal(sealDir: string): Promise<void> {
  const subtle = webcrypto.subtle;
  const root = (await subtle.generateKey(RSA_PARAMS, true, ['sign', 'verify'])) as CryptoKeyPair;
  const seal = (await subtle.generateKey(RSA_PARAMS, true, ['sign', 'verify'])) as CryptoKeyPair;
  const rootCert = await makeCertificate({
    subject: 'mailsign local root',
    issuer: 'mailsign local root',
    publicKey: root.publicKey,
    signingKey: root.privateKey,
    issuerPublicKey: root.publicKey,
    isCa: true,
    years: 20,
  });
  const sealCert = await makeCertificate({
    subject: 'mailsign local seal',
    issuer: 'mailsign local root',
    publicKey: seal.publicKey,
    signingKey: root.privateKey,
    issuerPublicKey: root.publicKey,
    isCa: false,
    years: 10,
  });
  // Written into a temporary directory then renamed, so concurrent first runs never mix two pairs.
  await mkdir(join(sealDir, '..'), { recursive: true });
  const staging = await mkdtemp(`${sealDir}.tmp-`);
  const secret = { mode: 0o600 } as const;
  await writeFile(
    join(staging, FILES.rootKey),
    formatPem({ label: 'PRIVATE KEY', der: await subtle.exportKey('pkcs8', root.privateKey) }),
    secret,
  );
  await writeFile(
    join(staging, FILES.sealKey),
    formatPem({ label: 'PRIVATE KEY', der: await subtle.exportKey('pkcs8', seal.privateKey) }),
    secret,
  );
  await writeFile(join(staging, FILES.rootCert), formatPem({ label: 'CERTIFICATE', der: rootCert }));
  await writeFile(join(staging, FILES.sealCert), formatPem({ label: 'CERTIFICATE', der: sealCert }));
  try {
    await rename(staging, sealDir);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
  }
}

async function readSeal(sealDir: string): Promise<{ key: KeyObject; chain: Uint8Array[] } | undefined> {
  try {
    const [keyPem, sealPem, rootPem] = await Promise.all(
      [FILES.sealKey, FILES.sealCert, FILES.rootCert].map((file) => readFile(join(sealDir, file), 'utf8')),
    );
    return { key: createPrivateKey(keyPem!), chain: [readPemBlock(sealPem!), readPemBlock(rootPem!)] };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

export async function createKeyFileSigner(options: CreateKeyFileSignerOptions): Promise<DigestSigner> {
  const sealDir = join(options.dataDir, 'seal');
  let seal = await readSeal(sealDir);
  if (!seal) {
    await generateSeal(sealDir);
    seal = await readSeal(sealDir);
    if (!seal) throw new Error(`The local seal could not be created in ${sealDir}.`);
  }
  const { key, chain } = seal;
  return {
    async signDigest(digest: Uint8Array): Promise<Uint8Array> {
      if (digest.length !== 32) throw new Error('signDigest expects a SHA-256 digest (32 bytes).');
      const digestInfo = Buffer.concat([SHA256_DIGEST_INFO_PREFIX, digest]);
      return new Uint8Array(privateEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, digestInfo));
    },
    async certificateChain(): Promise<Uint8Array[]> {
      return chain.map((der) => new Uint8Array(der));
    },
  };
}
