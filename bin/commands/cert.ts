// `mailsign cert csr|install`: the sealing certificate lifecycle. The private key never leaves
// KMS: the CSR is signed by KMS, and `install` only accepts a chain whose leaf certifies the
// KMS public key, then stores it (PEM) where the certify function reads it.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { KMSClient } from '@aws-sdk/client-kms';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { readKmsPublicKey, signDerWithKms } from '../../lambdas/adapters/aws/kms-digest-signer.ts';
import {
  certificateMatchesPublicKey,
  createSealKeyUsageExtension,
  formatPem,
  parseDistinguishedName,
  parsePemCertificates,
} from '../../lambdas/adapters/node/x509.ts';

const SHA256_WITH_RSA = '1.2.840.113549.1.1.11';
const EXTENSION_REQUEST = '1.2.840.113549.1.9.14';
const DEFAULT_KEY_ID = 'alias/mailsign-seal';
const DEFAULT_CHAIN_KEY = 'config/seal-chain.pem';

const USAGE = [
  'Usage:',
  '  mailsign cert csr --subject "CN=Example seal, O=Example SAS, C=FR" ' +
    `[--key-id ${DEFAULT_KEY_ID}] [--region eu-west-1]`,
  '      Prints a PKCS#10 request (PEM) signed by the KMS sealing key, for your CA.',
  '  mailsign cert install <chain.pem> --bucket <documents bucket> ' +
    `[--key-id ${DEFAULT_KEY_ID}] [--object-key ${DEFAULT_CHAIN_KEY}] [--region eu-west-1]`,
  "      Checks that the chain's first certificate certifies the KMS key, then stores the chain",
  '      where the certify function reads it (stack outputs give the bucket name).',
].join('\n');

/** A refusal the operator can act on (bad input, mismatched chain). */
export class CertCommandError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CertCommandError';
  }
}

export type CertCommandOptions = {
  kms?: KMSClient;
  s3?: S3Client;
  stdout?: (text: string) => void;
  stderr?: (text: string) => void;
  now?: () => Date;
};

export async function runCertCommand(args: string[], options: CertCommandOptions = {}): Promise<number> {
  const stdout = options.stdout ?? ((text: string) => process.stdout.write(text));
  const stderr = options.stderr ?? ((text: string) => process.stderr.write(text));
  const [sub, ...rest] = args;
  try {
    const parsed = parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        subject: { type: 'string' },
        'key-id': { type: 'string', default: DEFAULT_KEY_ID },
        region: { type: 'string' },
        bucket: { type: 'string' },
        'object-key': { type: 'string', default: DEFAULT_CHAIN_KEY },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (parsed.values.help || !sub) {
      stdout(`${USAGE}\n`);
      return sub ? 0 : 2;
    }
    const keyId = parsed.values['key-id'] ?? DEFAULT_KEY_ID;
    const region = parsed.values.region;
    const kms = options.kms ?? new KMSClient({ region });
    if (sub === 'csr') {
      if (!parsed.values.subject) throw new CertCommandError('cert csr needs --subject "CN=..., O=..., C=.."');
      stdout(await createCertificateRequest({ kms, keyId, subject: parsed.values.subject }));
      return 0;
    }
    if (sub === 'install') {
      const [file] = parsed.positionals;
      if (!file) throw new CertCommandError('cert install needs the PEM chain file (leaf first).');
      if (!parsed.values.bucket)
        throw new CertCommandError(
          'cert install needs --bucket <documents bucket> (stack output DocumentsBucketName).',
        );
      const pem = await readFile(file, 'utf8');
      const report = await checkSealChain({ kms, keyId, pem, now: options.now?.() ?? new Date() });
      const s3 = options.s3 ?? new S3Client({ region });
      const body = report.certificates.map((der) => formatPem({ label: 'CERTIFICATE', der })).join('');
      await s3.send(
        new PutObjectCommand({
          Bucket: parsed.values.bucket,
          Key: parsed.values['object-key'],
          Body: body,
          ContentType: 'application/x-pem-file',
        }),
      );
      for (const warning of report.warnings) stderr(`warning: ${warning}\n`);
      stdout(
        `Installed ${report.certificates.length} certificate(s) for ${keyId} at ` +
          `s3://${parsed.values.bucket}/${parsed.values['object-key']}.\n` +
          `Leaf: ${report.leafSubject}. New certify invocations use it ` +
          '(running ones keep their cached chain until recycled).\n',
      );
      return 0;
    }
    throw new CertCommandError(`Unknown cert command "${sub}".`);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    stderr(`mailsign cert: ${message}\n`);
    if (error instanceof CertCommandError || (error instanceof Error && error.name === 'TypeError' && 'code' in error))
      stderr(`${USAGE}\n`);
    return 1;
  }
}

export type CreateCertificateRequestOptions = { kms: KMSClient; keyId: string; subject: string };

/** PEM PKCS#10 request for the KMS key, asking for digitalSignature + nonRepudiation usage. */
export async function createCertificateRequest(options: CreateCertificateRequestOptions): Promise<string> {
  const spki = await readKmsPublicKey({ client: options.kms, keyId: options.keyId });
  const request = new pkijs.CertificationRequest({
    version: 0,
    subject: parseDistinguishedName(options.subject),
    subjectPublicKeyInfo: pkijs.PublicKeyInfo.fromBER(new Uint8Array(spki)),
    attributes: [
      new pkijs.Attribute({
        type: EXTENSION_REQUEST,
        values: [new pkijs.Extensions({ extensions: [createSealKeyUsageExtension()] }).toSchema()],
      }),
    ],
  });
  request.signatureAlgorithm = new pkijs.AlgorithmIdentifier({
    algorithmId: SHA256_WITH_RSA,
    algorithmParams: new asn1js.Null(),
  });
  // The TBS part is the first element of the full encoding; KMS signs its SHA-256.
  const tbs = (request.toSchema(true).valueBlock.value[0] as asn1js.Sequence).toBER(false);
  request.tbsView = new Uint8Array(tbs);
  request.signatureValue = new asn1js.BitString({
    valueHex: await signDerWithKms({ client: options.kms, keyId: options.keyId, der: tbs }),
  });
  return formatPem({ label: 'CERTIFICATE REQUEST', der: new Uint8Array(request.toSchema().toBER(false)) });
}

export type SealChainReport = { certificates: Uint8Array[]; leafSubject: string; warnings: string[] };

/** Refuses a chain that is empty, malformed, broken, expired or not for this KMS key. */
export async function checkSealChain(options: {
  kms: KMSClient;
  keyId: string;
  pem: string;
  now: Date;
}): Promise<SealChainReport> {
  const certificates = parsePemCertificates(options.pem);
  const [leaf] = certificates;
  if (!leaf) throw new CertCommandError('The file holds no "-----BEGIN CERTIFICATE-----" block.');
  let parsed: pkijs.Certificate[];
  try {
    parsed = certificates.map((der) => pkijs.Certificate.fromBER(new Uint8Array(der)));
  } catch (error) {
    throw new CertCommandError('A certificate in the file is not valid DER/X.509.', { cause: error });
  }
  const publicKey = await readKmsPublicKey({ client: options.kms, keyId: options.keyId });
  if (!certificateMatchesPublicKey({ certificate: leaf, publicKey })) {
    throw new CertCommandError(
      `The first certificate does not certify the public key of KMS key ${options.keyId}: ` +
        'it was issued for another key (or the chain is not leaf first).',
    );
  }
  const warnings: string[] = [];
  const leafCert = parsed[0]!;
  if (leafCert.notAfter.value < options.now)
    throw new CertCommandError(`The certificate expired on ${leafCert.notAfter.value.toISOString()}.`);
  if (leafCert.notBefore.value > options.now)
    warnings.push(`the certificate is valid only from ${leafCert.notBefore.value.toISOString()}.`);
  for (let index = 0; index + 1 < parsed.length; index += 1) {
    const issued = parsed[index]!;
    const issuer = parsed[index + 1]!;
    const ok = await issued.verify(issuer).catch(() => false);
    if (!ok)
      throw new CertCommandError(
        `Certificate ${index + 1} is not signed by certificate ${index + 2}: ` +
          'order the file leaf first, then each issuer.',
      );
  }
  const last = parsed[parsed.length - 1]!;
  if (!(await last.verify().catch(() => false))) {
    warnings.push(
      'the chain does not end with a self-signed root; validators must know the root (e.g. from the Adobe trust list).',
    );
  }
  return { certificates, leafSubject: describeName(leafCert.subject), warnings };
}

function describeName(name: pkijs.RelativeDistinguishedNames): string {
  return name.typesAndValues.map((item) => `${item.type}=${String(item.value.valueBlock.value)}`).join(', ');
}
