// DigestSigner on AWS KMS: the sealing key is an RSA_3072 SIGN_VERIFY key that never leaves KMS.
// The certificate chain is the PEM an operator installed (`mailsign cert install`) in the
// documents bucket; until then we seal with a self-issued certificate for the same key, built
// with pkijs and signed by KMS, so documents are sealed (not trusted by Acrobat) from day one.
// The helpers exported below are shared with the `mailsign cert` command.
import { createHash, randomBytes } from 'node:crypto';
import { GetPublicKeyCommand, SignCommand, type KMSClient } from '@aws-sdk/client-kms';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { Clock, DigestSigner } from '../../core/ports.ts';
import { AwsAdapterError, type AwsAdapterErrorOptions, transientAdapterError } from './aws-adapter-error.ts';

const SHA256_WITH_RSA = '1.2.840.113549.1.1.11';

export type SealingErrorCode =
  | 'KEY_NOT_USABLE'
  | 'CHAIN_INVALID'
  | 'CHAIN_MISMATCH'
  | 'THROTTLED'
  | 'UNAVAILABLE'
  | 'UNKNOWN';

/** Sealing could not be done; `transient` when a retry may succeed. */
export class SealingError extends AwsAdapterError<SealingErrorCode> {
  constructor(options: AwsAdapterErrorOptions<SealingErrorCode>) {
    super('SealingError', options);
  }
}

export type KmsKeyOptions = { client: KMSClient; keyId: string };

/** RSASSA-PKCS1-v1_5 / SHA-256 signature of a 32-byte digest, made inside KMS. */
export async function signDigestWithKms(options: KmsKeyOptions & { digest: Uint8Array }): Promise<Uint8Array> {
  if (options.digest.byteLength !== 32) {
    throw new SealingError({
      code: 'UNKNOWN',
      transient: false,
      message: `A SHA-256 digest has 32 bytes, not ${options.digest.byteLength}.`,
    });
  }
  try {
    const result = await options.client.send(
      new SignCommand({
        KeyId: options.keyId,
        Message: options.digest,
        MessageType: 'DIGEST',
        SigningAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256',
      }),
    );
    if (!result.Signature)
      throw new SealingError({ code: 'UNKNOWN', transient: false, message: 'KMS returned no signature.' });
    return result.Signature;
  } catch (error) {
    throw mapKmsError(error, 'Sign');
  }
}

/** The key's public half as DER SubjectPublicKeyInfo. */
export async function readKmsPublicKey(options: KmsKeyOptions): Promise<Uint8Array> {
  try {
    const result = await options.client.send(new GetPublicKeyCommand({ KeyId: options.keyId }));
    if (!result.PublicKey)
      throw new SealingError({ code: 'KEY_NOT_USABLE', transient: false, message: 'KMS returned no public key.' });
    if (result.KeyUsage && result.KeyUsage !== 'SIGN_VERIFY') {
      throw new SealingError({
        code: 'KEY_NOT_USABLE',
        transient: false,
        message: `KMS key ${options.keyId} is not a SIGN_VERIFY key.`,
      });
    }
    return result.PublicKey;
  } catch (error) {
    throw error instanceof SealingError ? error : mapKmsError(error, 'GetPublicKey');
  }
}

function mapKmsError(error: unknown, operation: string): SealingError {
  const name = error instanceof Error ? error.name : 'UnknownError';
  const message = error instanceof Error ? error.message : String(error);
  const transient = transientAdapterError({ error, create: (o) => new SealingError(o), service: `KMS ${operation}` });
  if (transient) return transient;
  if (
    [
      'NotFoundException',
      'DisabledException',
      'InvalidKeyUsageException',
      'KMSInvalidStateException',
      'AccessDeniedException',
      'IncorrectKeyException',
    ].includes(name)
  ) {
    return new SealingError({
      code: 'KEY_NOT_USABLE',
      transient: false,
      message: `KMS ${operation} refused the sealing key (${name}): ${message}`,
      cause: error,
    });
  }
  return new SealingError({
    code: 'UNKNOWN',
    transient: false,
    message: `KMS ${operation} failed (${name}): ${message}`,
    cause: error,
  });
}

const ATTRIBUTE_OIDS: Record<string, string> = {
  CN: '2.5.4.3',
  SERIALNUMBER: '2.5.4.5',
  C: '2.5.4.6',
  L: '2.5.4.7',
  ST: '2.5.4.8',
  O: '2.5.4.10',
  OU: '2.5.4.11',
  ORGANIZATIONIDENTIFIER: '2.5.4.97',
  E: '1.2.840.113549.1.9.1',
  EMAILADDRESS: '1.2.840.113549.1.9.1',
};

/** Parses "CN=Seal, O=Example SAS, C=FR" (commas inside values escaped as "\,"). */
export function parseDistinguishedName(subject: string): pkijs.RelativeDistinguishedNames {
  const parts = subject
    .split(/(?<!\\),/)
    .map((part) => part.trim())
    .filter(Boolean);
  if (parts.length === 0)
    throw new Error('The subject is empty; expected e.g. "CN=Example seal, O=Example SAS, C=FR".');
  const typesAndValues = parts.map((part) => {
    const eq = part.indexOf('=');
    const type = part.slice(0, eq).trim().toUpperCase();
    const value = part
      .slice(eq + 1)
      .trim()
      .replace(/\\,/g, ',');
    const oid = ATTRIBUTE_OIDS[type];
    if (eq <= 0 || !oid || !value)
      throw new Error(`Unsupported subject part "${part}"; use ${Object.keys(ATTRIBUTE_OIDS).join(', ')}.`);
    if (type === 'C' && !/^[A-Z]{2}$/.test(value))
      throw new Error(`C must be a two-letter country code, not "${value}".`);
    const asn1Value =
      type === 'C' || type === 'SERIALNUMBER'
        ? new asn1js.PrintableString({ value })
        : oid === ATTRIBUTE_OIDS.E
          ? new asn1js.IA5String({ value })
          : new asn1js.Utf8String({ value });
    return new pkijs.AttributeTypeAndValue({ type: oid, value: asn1Value });
  });
  return new pkijs.RelativeDistinguishedNames({ typesAndValues });
}

/** keyUsage digitalSignature + nonRepudiation (contentCommitment): what a sealing certificate needs. */
export function createSealKeyUsageExtension(): pkijs.Extension {
  const bits = new asn1js.BitString({ valueHex: new Uint8Array([0xc0]).buffer, unusedBits: 6 });
  return new pkijs.Extension({ extnID: '2.5.29.15', critical: true, extnValue: bits.toBER(false), parsedValue: bits });
}

function sha256WithRsa(): pkijs.AlgorithmIdentifier {
  return new pkijs.AlgorithmIdentifier({ algorithmId: SHA256_WITH_RSA, algorithmParams: new asn1js.Null() });
}

/** Signs DER bytes (a TBS structure) with the KMS key: SHA-256 here, the RSA operation in KMS. */
export async function signDerWithKms(options: KmsKeyOptions & { der: ArrayBuffer }): Promise<ArrayBuffer> {
  const digest = createHash('sha256').update(new Uint8Array(options.der)).digest();
  const signature = await signDigestWithKms({ client: options.client, keyId: options.keyId, digest });
  return new Uint8Array(signature).buffer;
}

export type SelfIssuedCertificateOptions = KmsKeyOptions & {
  subject: string;
  notBefore: Date;
  validityDays: number;
  /** Given when the caller already read it (saves a KMS call). */
  publicKey?: Uint8Array;
};

/** A self-issued X.509 v3 certificate for the KMS key, signed by that key. DER. */
export async function createSelfIssuedCertificate(options: SelfIssuedCertificateOptions): Promise<Uint8Array> {
  const spki = options.publicKey ?? (await readKmsPublicKey(options));
  const publicKeyInfo = pkijs.PublicKeyInfo.fromBER(new Uint8Array(spki));
  const name = parseDistinguishedName(options.subject);
  const serial = randomBytes(16);
  serial[0] = (serial[0] ?? 0) & 0x7f; // positive INTEGER
  const subjectKeyId = createHash('sha1')
    .update(new Uint8Array(publicKeyInfo.subjectPublicKey.valueBlock.valueHexView))
    .digest();
  const certificate = new pkijs.Certificate({
    version: 2,
    serialNumber: new asn1js.Integer({ valueHex: serial }),
    issuer: name,
    subject: parseDistinguishedName(options.subject),
    subjectPublicKeyInfo: publicKeyInfo,
    signature: sha256WithRsa(),
    signatureAlgorithm: sha256WithRsa(),
    notBefore: new pkijs.Time({ type: 0, value: options.notBefore }),
    notAfter: new pkijs.Time({
      type: 0,
      value: new Date(options.notBefore.getTime() + options.validityDays * 86_400_000),
    }),
    extensions: [
      new pkijs.Extension({
        extnID: '2.5.29.19',
        critical: true,
        extnValue: new pkijs.BasicConstraints({ cA: false }).toSchema().toBER(false),
      }),
      createSealKeyUsageExtension(),
      new pkijs.Extension({
        extnID: '2.5.29.14',
        extnValue: new asn1js.OctetString({ valueHex: subjectKeyId }).toBER(false),
      }),
    ],
  });
  const tbs = certificate.encodeTBS().toBER(false);
  certificate.signatureValue = new asn1js.BitString({ valueHex: await signDerWithKms({ ...options, der: tbs }) });
  return new Uint8Array(certificate.toSchema(true).toBER(false));
}

/** DER certificates of every CERTIFICATE block of a PEM text, in file order. */
export function parsePemCertificates(pem: string): Uint8Array[] {
  const blocks = [...pem.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)];
  return blocks.map((block) => new Uint8Array(Buffer.from((block[1] ?? '').replace(/\s+/g, ''), 'base64')));
}

export function formatPem(options: { label: string; der: Uint8Array }): string {
  const base64 = Buffer.from(options.der).toString('base64');
  const lines = base64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${options.label}-----\n${lines.join('\n')}\n-----END ${options.label}-----\n`;
}

/** True when the certificate (DER) certifies exactly this public key (DER SPKI). */
export function certificateMatchesPublicKey(options: { certificate: Uint8Array; publicKey: Uint8Array }): boolean {
  const certificate = pkijs.Certificate.fromBER(new Uint8Array(options.certificate));
  const certified = new Uint8Array(certificate.subjectPublicKeyInfo.toSchema().toBER(false));
  return Buffer.from(certified).equals(Buffer.from(normalizeSpki(options.publicKey)));
}

function normalizeSpki(spki: Uint8Array): Uint8Array {
  return new Uint8Array(pkijs.PublicKeyInfo.fromBER(new Uint8Array(spki)).toSchema().toBER(false));
}

export type KmsDigestSignerOptions = KmsKeyOptions & {
  /** The installed PEM chain (leaf first); undefined when none is installed yet. */
  readInstalledChain: () => Promise<Uint8Array | undefined>;
  clock: Clock;
  /** Subject of the self-issued fallback certificate, e.g. "CN=mailsign seal, O=mailsign". */
  fallbackSubject: string;
};

/** The DigestSigner; the chain is resolved once per process and reused (failures are not cached). */
export function createKmsDigestSigner(
  options: KmsDigestSignerOptions,
): DigestSigner & { usesSelfIssuedCertificate(): Promise<boolean> } {
  let chain: Promise<{ certificates: Uint8Array[]; selfIssued: boolean }> | undefined;

  async function resolveChain(): Promise<{ certificates: Uint8Array[]; selfIssued: boolean }> {
    const publicKey = await readKmsPublicKey(options);
    const pem = await options.readInstalledChain();
    if (pem && pem.byteLength > 0) {
      const certificates = parsePemCertificates(Buffer.from(pem).toString('utf8'));
      const leaf = certificates[0];
      if (!leaf)
        throw new SealingError({
          code: 'CHAIN_INVALID',
          transient: false,
          message: 'The installed sealing chain holds no certificate.',
        });
      if (!certificateMatchesPublicKey({ certificate: leaf, publicKey })) {
        // A key switch without a new certificate: sealing would produce invalid signatures.
        throw new SealingError({
          code: 'CHAIN_MISMATCH',
          transient: false,
          message: `The installed certificate does not match KMS key ${options.keyId}; install the chain for this key (mailsign cert install).`,
        });
      }
      return { certificates, selfIssued: false };
    }
    const now = options.clock.now();
    const certificate = await createSelfIssuedCertificate({
      client: options.client,
      keyId: options.keyId,
      publicKey,
      subject: options.fallbackSubject,
      notBefore: new Date(now.getTime() - 3_600_000),
      validityDays: 3650,
    });
    return { certificates: [certificate], selfIssued: true };
  }

  function cachedChain() {
    chain ??= resolveChain().catch((error: unknown) => {
      chain = undefined;
      throw error;
    });
    return chain;
  }

  return {
    signDigest: (digest) => signDigestWithKms({ client: options.client, keyId: options.keyId, digest }),
    certificateChain: async () => (await cachedChain()).certificates,
    usesSelfIssuedCertificate: async () => (await cachedChain()).selfIssued,
  };
}
