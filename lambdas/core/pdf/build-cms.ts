// Builds the CAdES detached CMS for a PDF signature with pkijs. The private key stays behind the
// DigestSigner port (KMS in production): we send it the one SHA-256 of the DER-encoded signed
// attributes and place the returned RSA PKCS#1 v1.5 signature in the SignerInfo.
// With a TimestampAuthority the SignerInfo gets a signature-time-stamp token over the SHA-256 of
// its signature value (PAdES B-T); with a RevocationSource the seal chain's CRLs go into the
// signed attribute adbe-revocationInfoArchival, and the TSA chain's (other) CRLs into the
// SignedData's crls, all inside the one /Contents (design.md "Verification").
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { createHash } from 'node:crypto';
import type { DigestSigner, RevocationSource, TimestampAuthority } from '../ports.ts';
import { collectCrls, revocationInfoArchivalAttribute } from './revocation-info.ts';
import { readTimestampToken, TIMESTAMP_OIDS } from './timestamp-token.ts';
import { TrustServiceUnavailableError, isTrustServiceUnavailable } from './trust-service-error.ts';

const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  sha256: '2.16.840.1.101.3.4.2.1',
  rsaEncryption: '1.2.840.113549.1.1.1',
} as const;

export type BuildCmsOptions = {
  /** SHA-256 of the bytes covered by /ByteRange. */
  contentDigest: Uint8Array;
  signer: DigestSigner;
  /** When set, the signature is time-stamped (B-T); its failure fails the build (no B-B fallback). */
  timestampAuthority?: TimestampAuthority;
  /** When set, the CRLs of the seal and TSA chains are embedded. */
  revocationSource?: RevocationSource;
  /** Reports the time spent waiting on outside trust services (for the bench). */
  onPhase?: (phase: CmsPhase, milliseconds: number) => void;
};

export type CmsPhase = 'revocation' | 'timestamp';

async function timed<T>(phase: CmsPhase, options: BuildCmsOptions, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await work();
  } finally {
    options.onPhase?.(phase, performance.now() - started);
  }
}

async function timestampSignature(authority: TimestampAuthority, signature: Uint8Array): Promise<Uint8Array> {
  try {
    return await authority.timestamp(sha256(signature));
  } catch (error) {
    if (isTrustServiceUnavailable(error)) throw error;
    throw new TrustServiceUnavailableError({ message: 'No time-stamp authority answered.', cause: error });
  }
}

function sha256(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(bytes).digest());
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i += 1) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** ESS SigningCertificateV2 with one ESSCertIDv2 (hash algorithm SHA-256 is the DER default: omitted). */
export function signingCertificateV2(leafDer: Uint8Array, leaf: pkijs.Certificate): asn1js.Sequence {
  const issuerSerial = new asn1js.Sequence({
    value: [
      new asn1js.Sequence({
        value: [new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 4 }, value: [leaf.issuer.toSchema()] })],
      }),
      leaf.serialNumber,
    ],
  });
  const certId = new asn1js.Sequence({
    value: [new asn1js.OctetString({ valueHex: toArrayBuffer(sha256(leafDer)) }), issuerSerial],
  });
  return new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [certId] })] });
}

export async function buildCms(options: BuildCmsOptions): Promise<Uint8Array> {
  const chain = await options.signer.certificateChain();
  const leafDer = chain[0];
  if (!leafDer) throw new Error('The signer returned no certificate.');
  const certificates = chain.map((der) => pkijs.Certificate.fromBER(toArrayBuffer(der)));
  const leaf = certificates[0]!;

  const attributes = [
    new pkijs.Attribute({ type: OID.contentType, values: [new asn1js.ObjectIdentifier({ value: OID.data })] }),
    new pkijs.Attribute({
      type: OID.messageDigest,
      values: [new asn1js.OctetString({ valueHex: toArrayBuffer(options.contentDigest) })],
    }),
    new pkijs.Attribute({ type: OID.signingCertificateV2, values: [signingCertificateV2(leafDer, leaf)] }),
  ];
  const revocationSource = options.revocationSource;
  const sealCrls = revocationSource
    ? await timed('revocation', options, () => collectCrls({ certificates: chain, source: revocationSource }))
    : undefined;
  if (sealCrls && sealCrls.crls.length > 0) attributes.push(revocationInfoArchivalAttribute(sealCrls.crls));
  // DER: a SET OF is sorted by the encodings of its elements.
  const sorted = attributes
    .map((attribute) => ({ attribute, der: new Uint8Array(attribute.toSchema().toBER(false)) }))
    .sort((a, b) => compareBytes(a.der, b.der))
    .map((entry) => entry.attribute);
  const signedAttrsSet = new Uint8Array(new asn1js.Set({ value: sorted.map((a) => a.toSchema()) }).toBER(false));
  const signature = await options.signer.signDigest(sha256(signedAttrsSet));

  const authority = options.timestampAuthority;
  const token = authority
    ? await timed('timestamp', options, () => timestampSignature(authority, signature))
    : undefined;
  // The TSA's own chain: its CRLs (those not already signed in) travel in SignedData.crls.
  const tsaCrls =
    token && revocationSource
      ? await timed('revocation', options, () =>
          collectCrls({
            certificates: readTimestampToken(token).certificates,
            source: revocationSource,
            skip: new Set(sealCrls?.urls ?? []),
          }),
        )
      : undefined;

  const sha256Algorithm = new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256 });
  const signerInfo = new pkijs.SignerInfo({
    version: 1,
    sid: new pkijs.IssuerAndSerialNumber({ issuer: leaf.issuer, serialNumber: leaf.serialNumber }),
    digestAlgorithm: sha256Algorithm,
    signedAttrs: new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes: sorted }),
    signatureAlgorithm: new pkijs.AlgorithmIdentifier({
      algorithmId: OID.rsaEncryption,
      algorithmParams: new asn1js.Null(),
    }),
    signature: new asn1js.OctetString({ valueHex: toArrayBuffer(signature) }),
    ...(token
      ? {
          unsignedAttrs: new pkijs.SignedAndUnsignedAttributes({
            type: 1,
            attributes: [
              new pkijs.Attribute({
                type: TIMESTAMP_OIDS.signatureTimeStampToken,
                values: [asn1js.fromBER(toArrayBuffer(token)).result],
              }),
            ],
          }),
        }
      : {}),
  });
  const signedData = new pkijs.SignedData({
    version: 1,
    digestAlgorithms: [sha256Algorithm],
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: OID.data }),
    certificates,
    ...(tsaCrls && tsaCrls.crls.length > 0
      ? { crls: tsaCrls.crls.map((der) => pkijs.CertificateRevocationList.fromBER(toArrayBuffer(der))) }
      : {}),
    signerInfos: [signerInfo],
  });
  const contentInfo = new pkijs.ContentInfo({ contentType: OID.signedData, content: signedData.toSchema() });
  return new Uint8Array(contentInfo.toSchema().toBER(false));
}
