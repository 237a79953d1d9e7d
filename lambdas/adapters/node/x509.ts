// X.509 and PEM helpers shared by the sealing adapters and `mailsign cert`: distinguished names,
// the sealing key-usage extension, self-issued certificates (signed by whatever holds the key:
// KMS, or a local key) and PEM text in and out. pkijs does the ASN.1; nothing here calls a service.
import { createHash, randomBytes } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { ConfigError } from '../../core/errors.ts';

const SHA256_WITH_RSA = '1.2.840.113549.1.1.11';

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
    throw new ConfigError('The subject is empty; expected e.g. "CN=Example seal, O=Example SAS, C=FR".');
  const typesAndValues = parts.map((part) => {
    const eq = part.indexOf('=');
    const type = part.slice(0, eq).trim().toUpperCase();
    const value = part
      .slice(eq + 1)
      .trim()
      .replace(/\\,/g, ',');
    const oid = ATTRIBUTE_OIDS[type];
    if (eq <= 0 || !oid || !value)
      throw new ConfigError(`Unsupported subject part "${part}"; use ${Object.keys(ATTRIBUTE_OIDS).join(', ')}.`);
    if (type === 'C' && !/^[A-Z]{2}$/.test(value))
      throw new ConfigError(`C must be a two-letter country code, not "${value}".`);
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

export type BuildSelfIssuedCertificateOptions = {
  /** DER SubjectPublicKeyInfo of the key being certified. */
  publicKey: Uint8Array;
  subject: string;
  notBefore: Date;
  validityDays: number;
  /** Signs the to-be-signed DER with the certified key (SHA-256 with RSA). */
  signTbs: (der: ArrayBuffer) => Promise<ArrayBuffer>;
};

/** A self-issued X.509 v3 sealing certificate for a key, signed by that key through `signTbs`. DER. */
export async function buildSelfIssuedCertificate(options: BuildSelfIssuedCertificateOptions): Promise<Uint8Array> {
  const spki = options.publicKey;
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
  certificate.signatureValue = new asn1js.BitString({ valueHex: await options.signTbs(tbs) });
  return new Uint8Array(certificate.toSchema(true).toBER(false));
}

export { certificateMatchesPublicKey, formatPem, parsePemCertificates, readPemBlock } from './x509-pem.ts';
