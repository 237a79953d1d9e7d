// The local stack's PKI in <dataDir>/seal/: a root CA, the "mailsign local seal" certificate,
// a time-stamping certificate (critical EKU timeStamping) for the local TSA, and the root's CRL.
// Created on first use; an older data directory (root and seal only, no CRL distribution point)
// is extended in place: same keys, the seal certificate re-issued naming the CRL, the TSA added.
// Keys are PEM files with mode 0600 and live only in the data directory (never in the repository).
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { createPrivateKey, createPublicKey, randomBytes, webcrypto } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { crlDistributionUrls } from '../../core/pdf/revocation-info.ts';
import { readCrlNextUpdate } from '../../core/pdf/x509-fields.ts';
import { formatPem, readPemBlock } from '../node/x509.ts';

export const LOCAL_PKI_FILES = {
  rootKey: 'root-key.pem',
  rootCert: 'root-cert.pem',
  sealKey: 'seal-key.pem',
  sealCert: 'seal-cert.pem',
  tsaKey: 'tsa-key.pem',
  tsaCert: 'tsa-cert.pem',
  rootCrl: 'root.crl',
} as const;

const RSA_PARAMS = {
  name: 'RSASSA-PKCS1-v1_5',
  modulusLength: 3072,
  publicExponent: new Uint8Array([1, 0, 1]),
  hash: 'SHA-256',
} as const;
const TIME_STAMPING_EKU = '1.3.6.1.5.5.7.3.8';
const DAY_MS = 24 * 60 * 60 * 1000;
/** A local CRL is valid a week and re-issued when less than a day is left. */
const CRL_VALIDITY_MS = 7 * DAY_MS;

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

function engine(): pkijs.ICryptoEngine {
  return new pkijs.CryptoEngine({ name: 'node', crypto: webcrypto as unknown as Crypto });
}

type CertificateProfile = 'root' | 'seal' | 'tsa';

type MakeCertificateOptions = {
  subject: string;
  issuer: string;
  publicKey: CryptoKey;
  signingKey: CryptoKey;
  issuerPublicKey: CryptoKey;
  profile: CertificateProfile;
  years: number;
  crlUrl?: string;
};

async function keyIdentifier(crypto: pkijs.ICryptoEngine, key: CryptoKey): Promise<ArrayBuffer> {
  const spki = await crypto.exportKey('spki', key);
  const info = pkijs.PublicKeyInfo.fromBER(spki);
  return crypto.digest({ name: 'SHA-1' }, new Uint8Array(info.subjectPublicKey.valueBlock.valueHexView));
}

/** One attribute per RDN (pkijs would put them all in a single multi-valued RDN). */
function distinguishedName(cn: string): pkijs.RelativeDistinguishedNames {
  return pkijs.RelativeDistinguishedNames.fromBER(
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
}

function crlDistributionPointsExtension(url: string): pkijs.Extension {
  const points = new pkijs.CRLDistributionPoints({
    distributionPoints: [
      new pkijs.DistributionPoint({ distributionPoint: [new pkijs.GeneralName({ type: 6, value: url })] }),
    ],
  });
  return new pkijs.Extension({ extnID: '2.5.29.31', extnValue: points.toSchema().toBER(false) });
}

async function makeCertificate(options: MakeCertificateOptions): Promise<ArrayBuffer> {
  const crypto = engine();
  const cert = new pkijs.Certificate();
  cert.version = 2;
  const serial = randomBytes(16);
  serial[0] = (serial[0]! & 0x7f) | 0x01;
  cert.serialNumber = new asn1js.Integer({ valueHex: serial });
  cert.subject = distinguishedName(options.subject);
  cert.issuer = distinguishedName(options.issuer);
  const now = new Date();
  cert.notBefore.value = new Date(now.getTime() - 60 * 60 * 1000);
  cert.notAfter.value = new Date(now.getTime() + options.years * 365 * DAY_MS);
  await cert.subjectPublicKeyInfo.importKey(options.publicKey, crypto);

  const isCa = options.profile === 'root';
  // keyCertSign|cRLSign for the root; digitalSignature|nonRepudiation for the seal and the TSA.
  const keyUsage = new asn1js.BitString({
    valueHex: new Uint8Array([isCa ? 0x06 : 0xc0]).buffer,
    unusedBits: isCa ? 1 : 6,
  });
  cert.extensions = [
    new pkijs.Extension({
      extnID: '2.5.29.19',
      critical: true,
      extnValue: new pkijs.BasicConstraints({ cA: isCa }).toSchema().toBER(false),
      parsedValue: new pkijs.BasicConstraints({ cA: isCa }),
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
  if (options.profile === 'tsa')
    // RFC 3161 2.3: the time-stamping EKU, alone and critical.
    cert.extensions.push(
      new pkijs.Extension({
        extnID: '2.5.29.37',
        critical: true,
        extnValue: new pkijs.ExtKeyUsage({ keyPurposes: [TIME_STAMPING_EKU] }).toSchema().toBER(false),
      }),
    );
  if (options.crlUrl && !isCa) cert.extensions.push(crlDistributionPointsExtension(options.crlUrl));
  await cert.sign(options.signingKey, 'SHA-256', crypto);
  return cert.toSchema(true).toBER(false);
}

async function importSigningKey(pem: string): Promise<CryptoKey> {
  return webcrypto.subtle.importKey('pkcs8', readPemBlock(pem), { name: RSA_PARAMS.name, hash: 'SHA-256' }, true, [
    'sign',
  ]);
}

async function publicKeyOf(pem: string): Promise<CryptoKey> {
  const spki = createPublicKey(createPrivateKey(pem)).export({ type: 'spki', format: 'der' });
  return webcrypto.subtle.importKey('spki', spki, { name: RSA_PARAMS.name, hash: 'SHA-256' }, true, ['verify']);
}

/** Writes a file atomically (temporary name, then rename): readers never see half a file. */
async function writeAtomic(path: string, content: string | Uint8Array, mode?: number): Promise<void> {
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(temporary, content, mode ? { mode } : {});
  await rename(temporary, path);
}

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

async function generateRootAndSeal(sealDir: string, crlUrl: string | undefined): Promise<void> {
  const subtle = webcrypto.subtle;
  const root = (await subtle.generateKey(RSA_PARAMS, true, ['sign', 'verify'])) as CryptoKeyPair;
  const seal = (await subtle.generateKey(RSA_PARAMS, true, ['sign', 'verify'])) as CryptoKeyPair;
  const rootCert = await makeCertificate({
    subject: 'mailsign local root',
    issuer: 'mailsign local root',
    publicKey: root.publicKey,
    signingKey: root.privateKey,
    issuerPublicKey: root.publicKey,
    profile: 'root',
    years: 20,
  });
  const sealCert = await makeCertificate({
    subject: 'mailsign local seal',
    issuer: 'mailsign local root',
    publicKey: seal.publicKey,
    signingKey: root.privateKey,
    issuerPublicKey: root.publicKey,
    profile: 'seal',
    years: 10,
    crlUrl,
  });
  // Written into a temporary directory then renamed, so concurrent first runs never mix two pairs.
  await mkdir(join(sealDir, '..'), { recursive: true });
  const staging = await mkdtemp(`${sealDir}.tmp-`);
  const secret = { mode: 0o600 } as const;
  await writeFile(
    join(staging, LOCAL_PKI_FILES.rootKey),
    formatPem({ label: 'PRIVATE KEY', der: await subtle.exportKey('pkcs8', root.privateKey) }),
    secret,
  );
  await writeFile(
    join(staging, LOCAL_PKI_FILES.sealKey),
    formatPem({ label: 'PRIVATE KEY', der: await subtle.exportKey('pkcs8', seal.privateKey) }),
    secret,
  );
  await writeFile(join(staging, LOCAL_PKI_FILES.rootCert), formatPem({ label: 'CERTIFICATE', der: rootCert }));
  await writeFile(join(staging, LOCAL_PKI_FILES.sealCert), formatPem({ label: 'CERTIFICATE', der: sealCert }));
  try {
    await rename(staging, sealDir);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
  }
}

function namesCrl(certificatePem: string | undefined, crlUrl: string): boolean {
  if (!certificatePem) return false;
  const urls = crlDistributionUrls(readPemBlock(certificatePem));
  return urls.length === 1 && urls[0] === crlUrl;
}

/** Issues (or re-issues) a leaf of the local root naming the CRL; creates its key when missing. */
async function issueLeaf(sealDir: string, profile: 'seal' | 'tsa', crlUrl: string): Promise<void> {
  const keyFile = join(sealDir, profile === 'seal' ? LOCAL_PKI_FILES.sealKey : LOCAL_PKI_FILES.tsaKey);
  let keyPem = await readOptional(keyFile);
  if (!keyPem) {
    const pair = (await webcrypto.subtle.generateKey(RSA_PARAMS, true, ['sign', 'verify'])) as CryptoKeyPair;
    keyPem = formatPem({ label: 'PRIVATE KEY', der: await webcrypto.subtle.exportKey('pkcs8', pair.privateKey) });
    await writeAtomic(keyFile, keyPem, 0o600);
  }
  const rootKeyPem = await readFile(join(sealDir, LOCAL_PKI_FILES.rootKey), 'utf8');
  const der = await makeCertificate({
    subject: profile === 'seal' ? 'mailsign local seal' : 'mailsign local time-stamping',
    issuer: 'mailsign local root',
    publicKey: await publicKeyOf(keyPem),
    signingKey: await importSigningKey(rootKeyPem),
    issuerPublicKey: await publicKeyOf(rootKeyPem),
    profile,
    years: 10,
    crlUrl,
  });
  await writeAtomic(
    join(sealDir, profile === 'seal' ? LOCAL_PKI_FILES.sealCert : LOCAL_PKI_FILES.tsaCert),
    formatPem({ label: 'CERTIFICATE', der }),
  );
}

export type LocalPki = {
  sealDir: string;
  sealKey: KeyObject;
  /** DER: seal, root. */
  sealChain: Uint8Array[];
  /** Present once a CRL URL was given: the TSA key and chain (TSA, root). */
  tsa?: { key: KeyObject; chain: Uint8Array[] };
};

const pending = new Map<string, Promise<void>>();

export type EnsureLocalPkiOptions = {
  dataDir: string;
  /** Where the local stack serves the root's CRL; the seal and TSA certificates name it. */
  crlUrl?: string;
};

/** The local PKI, created or extended as needed (once at a time per data directory in a process). */
/** Whether the data directory already holds its seal (made on first use, then kept). */
export async function hasLocalSeal(dataDir: string): Promise<boolean> {
  return (await readOptional(join(dataDir, 'seal', LOCAL_PKI_FILES.sealCert))) !== undefined;
}

export async function ensureLocalPki(options: EnsureLocalPkiOptions): Promise<LocalPki> {
  const sealDir = join(options.dataDir, 'seal');
  const previous = pending.get(sealDir) ?? Promise.resolve();
  const work = previous
    .catch(() => {})
    .then(async () => {
      if (!(await readOptional(join(sealDir, LOCAL_PKI_FILES.sealCert))))
        await generateRootAndSeal(sealDir, options.crlUrl);
      const crlUrl = options.crlUrl;
      if (!crlUrl) return;
      if (!namesCrl(await readOptional(join(sealDir, LOCAL_PKI_FILES.sealCert)), crlUrl))
        await issueLeaf(sealDir, 'seal', crlUrl);
      if (!namesCrl(await readOptional(join(sealDir, LOCAL_PKI_FILES.tsaCert)), crlUrl))
        await issueLeaf(sealDir, 'tsa', crlUrl);
    });
  pending.set(sealDir, work);
  await work;
  const read = (file: string) => readFile(join(sealDir, file), 'utf8');
  const [sealKeyPem, sealPem, rootPem] = await Promise.all(
    [LOCAL_PKI_FILES.sealKey, LOCAL_PKI_FILES.sealCert, LOCAL_PKI_FILES.rootCert].map(read),
  );
  const root = readPemBlock(rootPem!);
  const pki: LocalPki = { sealDir, sealKey: createPrivateKey(sealKeyPem!), sealChain: [readPemBlock(sealPem!), root] };
  if (options.crlUrl) {
    const [tsaKeyPem, tsaPem] = await Promise.all([LOCAL_PKI_FILES.tsaKey, LOCAL_PKI_FILES.tsaCert].map(read));
    pki.tsa = { key: createPrivateKey(tsaKeyPem!), chain: [readPemBlock(tsaPem!), root] };
  }
  return pki;
}

export type CurrentRootCrlOptions = { dataDir: string; now: Date };

/** The root's CRL (DER; nothing revoked), re-issued when less than a day of validity is left. */
export async function currentRootCrl(options: CurrentRootCrlOptions): Promise<Uint8Array> {
  const sealDir = join(options.dataDir, 'seal');
  const path = join(sealDir, LOCAL_PKI_FILES.rootCrl);
  const existing = await readFile(path).catch(() => undefined);
  let number = 1;
  if (existing) {
    // Still valid for more than a day: served as is (read with der.ts; pkijs only to re-issue).
    const nextUpdate = readCrlNextUpdate(new Uint8Array(existing))?.getTime() ?? 0;
    if (nextUpdate - options.now.getTime() > DAY_MS) return new Uint8Array(existing);
    const crl = pkijs.CertificateRevocationList.fromBER(toArrayBuffer(new Uint8Array(existing)));
    const crlNumber = crl.crlExtensions?.extensions.find((e) => e.extnID === '2.5.29.20');
    if (crlNumber)
      number =
        (asn1js.fromBER(crlNumber.extnValue.valueBlock.valueHexView.slice().buffer).result as asn1js.Integer).valueBlock
          .valueDec + 1;
  }
  const crypto = engine();
  const rootKeyPem = await readFile(join(sealDir, LOCAL_PKI_FILES.rootKey), 'utf8');
  const rootCert = pkijs.Certificate.fromBER(
    toArrayBuffer(readPemBlock(await readFile(join(sealDir, LOCAL_PKI_FILES.rootCert), 'utf8'))),
  );
  const crl = new pkijs.CertificateRevocationList();
  crl.version = 1;
  crl.issuer = rootCert.subject;
  // A little in the past: a verifier's clock a few minutes behind still accepts it.
  crl.thisUpdate = new pkijs.Time({ type: 0, value: new Date(options.now.getTime() - 5 * 60 * 1000) });
  crl.nextUpdate = new pkijs.Time({ type: 0, value: new Date(options.now.getTime() + CRL_VALIDITY_MS) });
  crl.crlExtensions = new pkijs.Extensions({
    extensions: [
      new pkijs.Extension({
        extnID: '2.5.29.35',
        extnValue: new pkijs.AuthorityKeyIdentifier({
          keyIdentifier: new asn1js.OctetString({
            valueHex: await keyIdentifier(crypto, await publicKeyOf(rootKeyPem)),
          }),
        })
          .toSchema()
          .toBER(false),
      }),
      new pkijs.Extension({ extnID: '2.5.29.20', extnValue: new asn1js.Integer({ value: number }).toBER(false) }),
    ],
  });
  await crl.sign(await importSigningKey(rootKeyPem), 'SHA-256', crypto);
  const der = new Uint8Array(crl.toSchema(true).toBER(false));
  await writeAtomic(path, der);
  return der;
}
