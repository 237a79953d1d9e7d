// Revocation data inside the one certification signature (design.md "Verification"): the CRLs
// named by the CRL distribution points of a certificate chain, fetched through the
// RevocationSource port, and the adbe-revocationInfoArchival signed attribute that carries them
// (Adobe's RevocationInfoArchival ::= SEQUENCE { crl [0] EXPLICIT SEQUENCE OF CRLs OPTIONAL,
// ocsp [1] ..., otherRevInfo [2] ... }). Any later incremental update would break DocMDP P=1,
// so there is no DSS: the data must be in the signature itself.
import type { DigestSigner, RevocationSource } from '../ports.ts';
import { context, encode, oid, sequence, setOf } from './der.ts';
import { TrustServiceUnavailableError } from './trust-service-error.ts';
import { readCertificateFields } from './x509-fields.ts';

export const ADBE_REVOCATION_INFO_ARCHIVAL = '1.2.840.113583.1.1.8';

/** The http(s) URLs of a DER certificate's CRL distribution points (none for a root). */
export function crlDistributionUrls(certificate: Uint8Array): string[] {
  return readCertificateFields(certificate).crlUrls;
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
  const pointsOf = options.certificates.map((der) => crlDistributionUrls(der).filter((url) => !options.skip?.has(url)));
  const urls: string[] = [];
  // Several points may publish the same CRL: the first that answers is enough.
  for (const candidates of pointsOf)
    if (candidates.length > 0 && !candidates.some((url) => urls.includes(url))) urls.push(...candidates);
  const byPoint = new Map<string, Uint8Array>();
  const failures: unknown[] = [];
  for (const url of urls) {
    try {
      byPoint.set(url, await options.source.fetchCrl(url));
    } catch (error) {
      failures.push(error);
    }
  }
  const missing = pointsOf.some((points) => points.length > 0 && !points.some((url) => byPoint.has(url)));
  if (missing)
    throw new TrustServiceUnavailableError({
      message: 'A certificate revocation list of the seal chain could not be fetched.',
      cause: failures[0],
    });
  const crls: Uint8Array[] = [];
  for (const crl of byPoint.values())
    if (!crls.some((kept) => kept.length === crl.length && kept.every((byte, i) => byte === crl[i]))) crls.push(crl);
  return { urls: [...byPoint.keys()], crls };
}

/** The adbe-revocationInfoArchival signed attribute (DER Attribute) with these CRLs. */
export function revocationInfoArchivalAttribute(crls: Uint8Array[]): Uint8Array {
  const archival = sequence(encode(context(0), sequence(...crls)));
  return sequence(oid(ADBE_REVOCATION_INFO_ARCHIVAL), setOf(archival));
}

export type PrefetchChainCrlsOptions = { signer: DigestSigner; source: RevocationSource };

/**
 * Starts fetching the CRLs of the seal chain, for a function's initialisation: the download runs
 * while the function finishes loading and reads its first document, and that document's
 * collectCrls waits on the same requests (a source that shares requests under way, such as
 * http-revocation-source.ts). Never rejects: a failure here is met again, and reported, by the
 * document that needs the CRLs.
 */
export async function prefetchChainCrls(options: PrefetchChainCrlsOptions): Promise<void> {
  try {
    await collectCrls({ certificates: await options.signer.certificateChain(), source: options.source });
  } catch {
    // Left for the first document to report (retryable there).
  }
}
