// Builds the CAdES detached CMS for a PDF signature, written with der.ts (a fixed structure: no
// schema library on the hot path). The private key stays behind the DigestSigner port (KMS in
// production): we send it the one SHA-256 of the DER-encoded signed attributes and place the
// returned RSA PKCS#1 v1.5 signature in the SignerInfo. Certificates, CRLs and the time-stamp
// token go in exactly as their issuers encoded them.
// With a TimestampAuthority the SignerInfo gets a signature-time-stamp token over the SHA-256 of
// its signature value (PAdES B-T); with a RevocationSource the seal chain's CRLs go into the
// signed attribute adbe-revocationInfoArchival, and the TSA chain's (other) CRLs into the
// SignedData's crls, all inside the one /Contents (design.md "Verification").
import { createHash } from 'node:crypto';
import type { DigestSigner, RevocationSource, TimestampAuthority } from '../ports.ts';
import { context, derNull, encode, octetString, oid, readTlv, sequence, setOf, smallInteger, TAG } from './der.ts';
import { collectCrls, revocationInfoArchivalAttribute } from './revocation-info.ts';
import { readTimestampToken, TIMESTAMP_OIDS } from './timestamp-token.ts';
import { TrustServiceUnavailableError, isTrustServiceUnavailable } from './trust-service-error.ts';
import { readCertificateFields } from './x509-fields.ts';

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

/** An Attribute { type, SET OF values }. */
export function attribute(type: string, ...values: Uint8Array[]): Uint8Array {
  return sequence(oid(type), setOf(...values));
}

/**
 * ESS SigningCertificateV2 with one ESSCertIDv2 (hash algorithm SHA-256 is the DER default:
 * omitted): the certificate's hash, and its issuer (a directoryName [4]) and serial number.
 */
export function signingCertificateV2(certificateDer: Uint8Array): Uint8Array {
  const { issuer, serialNumber } = readCertificateFields(certificateDer);
  const issuerSerial = sequence(sequence(encode(context(4), issuer)), serialNumber);
  return sequence(sequence(sequence(octetString(sha256(certificateDer)), issuerSerial)));
}

/** The signed attributes as the SET OF whose DER is signed (tag 0x31); in the SignerInfo they are [0] IMPLICIT. */
export function signedAttributesSet(attributes: Uint8Array[]): Uint8Array {
  return setOf(...attributes);
}

export type SignerInfoOptions = {
  certificateDer: Uint8Array;
  signedAttributes: Uint8Array;
  signature: Uint8Array;
  unsignedAttributes?: Uint8Array[];
};

/** A SignerInfo v1 (IssuerAndSerialNumber, SHA-256, RSA PKCS#1 v1.5) around an already signed SET. */
export function signerInfo(options: SignerInfoOptions): Uint8Array {
  const { issuer, serialNumber } = readCertificateFields(options.certificateDer);
  const attributesContent = readTlv(options.signedAttributes).value;
  return sequence(
    smallInteger(1),
    sequence(issuer, serialNumber),
    sequence(oid(OID.sha256)),
    encode(context(0), attributesContent),
    sequence(oid(OID.rsaEncryption), derNull()),
    octetString(options.signature),
    ...(options.unsignedAttributes?.length ? [encode(context(1), ...options.unsignedAttributes)] : []),
  );
}

export async function buildCms(options: BuildCmsOptions): Promise<Uint8Array> {
  const chain = await options.signer.certificateChain();
  const leafDer = chain[0];
  if (!leafDer) throw new Error('The signer returned no certificate.');

  const attributes = [
    attribute(OID.contentType, oid(OID.data)),
    attribute(OID.messageDigest, octetString(options.contentDigest)),
    attribute(OID.signingCertificateV2, signingCertificateV2(leafDer)),
  ];
  const revocationSource = options.revocationSource;
  const sealCrls = revocationSource
    ? await timed('revocation', options, () => collectCrls({ certificates: chain, source: revocationSource }))
    : undefined;
  if (sealCrls && sealCrls.crls.length > 0) attributes.push(revocationInfoArchivalAttribute(sealCrls.crls));
  // DER: a SET OF is sorted by the encodings of its elements (setOf sorts).
  const signedAttrs = signedAttributesSet(attributes);
  const signature = await options.signer.signDigest(sha256(signedAttrs));

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

  const info = signerInfo({
    certificateDer: leafDer,
    signedAttributes: signedAttrs,
    signature,
    unsignedAttributes: token ? [attribute(TIMESTAMP_OIDS.signatureTimeStampToken, token)] : undefined,
  });
  const signedData = sequence(
    smallInteger(1),
    setOf(sequence(oid(OID.sha256))),
    sequence(oid(OID.data)),
    // [0] IMPLICIT CertificateSet, in chain order (as written before; readers do not need the DER sort here).
    encode(context(0), ...chain),
    ...(tsaCrls && tsaCrls.crls.length > 0 ? [encode(context(1), ...tsaCrls.crls)] : []),
    encode(TAG.set, info),
  );
  return sequence(oid(OID.signedData), encode(context(0), signedData));
}
