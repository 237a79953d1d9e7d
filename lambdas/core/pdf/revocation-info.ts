// Revocation data inside the one certification signature (design.md "Verification"): the CRLs
// named by the CRL distribution points of a certificate chain, fetched through the
// RevocationSource port, and the adbe-revocationInfoArchival signed attribute that carries them
// (Adobe's RevocationInfoArchival ::= SEQUENCE { crl [0] EXPLICIT SEQUENCE OF CRLs OPTIONAL,
// ocsp [1] ..., otherRevInfo [2] ... }). Any later incremental update would break DocMDP P=1,
// so there is no DSS: the data must be in the signature itself.
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { RevocationSource } from '../ports.ts';
import { TrustServiceUnavailableError } from './trust-service-error.ts';

export const ADBE_REVOCATION_INFO_ARCHIVAL = '1.2.840.113583.1.1.8';
const CRL_DISTRIBUTION_POINTS = '2.5.29.31';

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

/** The http(s) URLs of a certificate's CRL distribution points (none for a root). */
export function crlDistributionUrls(certificate: pkijs.Certificate): string[] {
  const extension = certificate.extensions?.find((e) => e.extnID === CRL_DISTRIBUTION_POINTS);
  if (!extension) return [];
  const points = pkijs.CRLDistributionPoints.fromBER(
    toArrayBuffer(new Uint8Array(extension.extnValue.valueBlock.valueHexView)),
  );
  return points.distributionPoints.flatMap((point) => {
    const names = Array.isArray(point.distributionPoint) ? point.distributionPoint : [];
    return names
      .filter((name) => name.type === 6 && typeof name.value === 'string' && /^https?:\/\//i.test(name.value))
      .map((name) => name.value as string);
  });
}

export type CollectCrlsOptions = {
  /** DER certificates; self-signed ones (roots) need no CRL. */
  certificates: Uint8Array[];
  source: RevocationSource;
  /** URLs already collected (skipped). */
  skip?: Set<string>;
};

export type CollectedCrls = { urls: string[]; crls: Uint8Array[] };

/** One CRL per distinct distribution point of the chain; a CRL that cannot be had is retryable. */
export async function collectCrls(options: CollectCrlsOptions): Promise<CollectedCrls> {
  const urls: string[] = [];
  for (const der of options.certificates) {
    const certificate = pkijs.Certificate.fromBER(toArrayBuffer(der));
    // Several points may publish the same CRL: the first that answers is enough.
    const candidates = crlDistributionUrls(certificate).filter((url) => !options.skip?.has(url));
    if (candidates.length > 0 && !candidates.some((url) => urls.includes(url))) urls.push(...candidates);
  }
  const byPoint = new Map<string, Uint8Array>();
  const failures: unknown[] = [];
  for (const url of urls) {
    try {
      byPoint.set(url, await options.source.fetchCrl(url));
    } catch (error) {
      failures.push(error);
    }
  }
  const missing = options.certificates.some((der) => {
    const points = crlDistributionUrls(pkijs.Certificate.fromBER(toArrayBuffer(der))).filter(
      (url) => !options.skip?.has(url),
    );
    return points.length > 0 && !points.some((url) => byPoint.has(url));
  });
  if (missing)
    throw new TrustServiceUnavailableError({
      message: 'A certificate revocation list of the seal chain could not be fetched.',
      cause: failures[0],
    });
  const seen = new Set<string>();
  const crls = [...byPoint.values()].filter((crl) => {
    const key = Buffer.from(crl).toString('base64');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return { urls: [...byPoint.keys()], crls };
}

/** The adbe-revocationInfoArchival signed attribute with these CRLs. */
export function revocationInfoArchivalAttribute(crls: Uint8Array[]): pkijs.Attribute {
  const crlValues = crls.map((der) => asn1js.fromBER(toArrayBuffer(der)).result);
  const archival = new asn1js.Sequence({
    value: [
      new asn1js.Constructed({
        idBlock: { tagClass: 3, tagNumber: 0 },
        value: [new asn1js.Sequence({ value: crlValues })],
      }),
    ],
  });
  return new pkijs.Attribute({ type: ADBE_REVOCATION_INFO_ARCHIVAL, values: [archival] });
}

/** The CRLs (DER) of an adbe-revocationInfoArchival attribute value. */
export function readRevocationInfoArchival(value: asn1js.AsnType): Uint8Array[] {
  const sequence = value as asn1js.Sequence;
  const crlTagged = sequence.valueBlock.value.find(
    (item) => item.idBlock.tagClass === 3 && item.idBlock.tagNumber === 0,
  ) as asn1js.Constructed | undefined;
  const list = crlTagged?.valueBlock.value[0] as asn1js.Sequence | undefined;
  return (list?.valueBlock.value ?? []).map((crl) => new Uint8Array(crl.toBER(false)));
}
