// What the seal reads from an X.509 certificate, straight from its DER (der.ts): the issuer Name
// and serialNumber as encoded (for IssuerAndSerialNumber and ESS signing-certificate-v2) and the
// http(s) URLs of its CRL distribution points. Read once per certificate and kept: a warm process
// certifies with the same seal chain every time.
import { children, decodeOid, decodeTime, DerError, expectTag, readTlv, TAG, type Tlv } from './der.ts';

export type CertificateFields = {
  /** The issuer Name element, as encoded in the certificate. */
  issuer: Uint8Array;
  /** The serialNumber INTEGER element, as encoded. */
  serialNumber: Uint8Array;
  /** http(s) URIs of the CRL distribution points' full names (none for a root). */
  crlUrls: string[];
};

const CRL_DISTRIBUTION_POINTS = '2.5.29.31';
const URI = 0x86; // GeneralName uniformResourceIdentifier [6] IMPLICIT IA5String
const cache = new Map<string, CertificateFields>();
const CACHE_LIMIT = 64;

function distributionUrls(extensionValue: Uint8Array): string[] {
  const urls: string[] = [];
  for (const point of children(expectTag(readTlv(extensionValue), TAG.sequence, 'CRLDistributionPoints'))) {
    // DistributionPoint { distributionPoint [0] { fullName [0] GeneralNames } }
    const name = children(point).find((item) => item.tag === 0xa0);
    const fullName = name && children(name).find((item) => item.tag === 0xa0);
    for (const general of fullName ? children(fullName) : []) {
      if (general.tag !== URI) continue;
      const url = new TextDecoder('latin1').decode(general.value);
      if (/^https?:\/\//i.test(url)) urls.push(url);
    }
  }
  return urls;
}

function parse(der: Uint8Array): CertificateFields {
  const certificate = expectTag(readTlv(der), TAG.sequence, 'Certificate');
  const tbs = children(expectTag(children(certificate)[0], TAG.sequence, 'TBSCertificate'));
  const offset = tbs[0]?.tag === 0xa0 ? 1 : 0; // [0] EXPLICIT version
  const serialNumber = expectTag(tbs[offset], TAG.integer, 'serialNumber');
  const issuer = expectTag(tbs[offset + 2], TAG.sequence, 'issuer');
  const extensions: Tlv | undefined = tbs.find((item) => item.tag === 0xa3);
  let crlUrls: string[] = [];
  for (const extension of extensions ? children(expectTag(children(extensions)[0], TAG.sequence, 'Extensions')) : []) {
    const [id, ...rest] = children(extension);
    if (decodeOid(expectTag(id, TAG.oid, 'extnID').value) !== CRL_DISTRIBUTION_POINTS) continue;
    const value = rest.find((item) => item.tag === TAG.octetString);
    if (!value) throw new DerError('DER: an extension has no value.');
    crlUrls = distributionUrls(value.value);
  }
  return { issuer: issuer.bytes.slice(), serialNumber: serialNumber.bytes.slice(), crlUrls };
}

/** The fields of a DER certificate (cached by content). */
export function readCertificateFields(der: Uint8Array): CertificateFields {
  const key = new TextDecoder('latin1').decode(der);
  let fields = cache.get(key);
  if (!fields) {
    fields = parse(der);
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(key, fields);
  }
  return fields;
}

/** A CRL's nextUpdate (undefined when absent): CertificateList { tbsCertList { version?, signature, issuer, thisUpdate, nextUpdate?, ... } }. */
export function readCrlNextUpdate(der: Uint8Array): Date | undefined {
  const list = expectTag(readTlv(der), TAG.sequence, 'CertificateList');
  const tbs = children(expectTag(children(list)[0], TAG.sequence, 'TBSCertList'));
  const offset = tbs[0]?.tag === TAG.integer ? 1 : 0;
  const isTime = (item: Tlv | undefined) => item?.tag === TAG.utcTime || item?.tag === TAG.generalizedTime;
  if (!isTime(tbs[offset + 2])) throw new DerError('DER: thisUpdate is missing or malformed.');
  const next = tbs[offset + 3];
  return next && isTime(next) ? decodeTime(next) : undefined;
}
