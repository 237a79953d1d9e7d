// Tells, from the bytes of a PDF alone, whether it carries this service's certification and
// whether it changed since: finds every signature (/ByteRange + /Contents), recognises ours by
// the seal certificate's public key, checks the CMS message digest over the signed ranges and
// the RSA signature over the signed attributes, and reads the time-stamp time. Written with
// pkijs and WebCrypto only (no node APIs), so verify.html runs the very same code in the browser.
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { readTimestampToken, TIMESTAMP_OIDS } from '../pdf/timestamp-token.ts';

const MESSAGE_DIGEST = '1.2.840.113549.1.9.4';

export type CertificationFinding =
  /** Certified by this service and not one byte changed since. */
  | { kind: 'unchanged'; certifiedSha256: string; timestampTime?: Date }
  /** Certified by this service; bytes were appended after (an incremental update, another signature). */
  | { kind: 'appended'; certifiedSha256: string; appendedBytes: number; timestampTime?: Date }
  /** Carries this service's certification, but signed bytes were altered: the seal no longer holds. */
  | { kind: 'altered'; timestampTime?: Date }
  /** Not certified by this service; `otherSignatures` counts the signatures of others it carries. */
  | { kind: 'not-certified'; otherSignatures: number };

export type InspectCertificationOptions = {
  pdf: Uint8Array;
  /** DER certificates whose keys seal for this service (the current seal first). */
  sealCertificates: Uint8Array[];
};

type FoundSignature = { byteRange: [number, number, number, number]; cms?: Uint8Array };

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

function hex(bytes: ArrayBuffer | Uint8Array): string {
  return [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((value, index) => value === b[index]);
}

async function sha256(bytes: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', toArrayBuffer(bytes)));
}

function hexToBytes(text: string): Uint8Array | undefined {
  const clean = text.replace(/\s+/g, '');
  if (!/^[0-9a-fA-F]*$/.test(clean) || clean.length % 2 !== 0) return undefined;
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i += 1) out[i] = Number.parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** Every /ByteRange of the file whose gap brackets a hex /Contents, with the DER it holds. */
function findSignatures(pdf: Uint8Array): FoundSignature[] {
  // latin1: one character per byte, so string indices are file offsets.
  const text = new TextDecoder('latin1').decode(pdf);
  const found: FoundSignature[] = [];
  for (const match of text.matchAll(/\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g)) {
    const byteRange = match.slice(1, 5).map(Number) as [number, number, number, number];
    const [, b, c] = byteRange;
    if (!(b > 0 && c > b && c <= pdf.length && pdf[b] === 0x3c && pdf[c - 1] === 0x3e)) {
      found.push({ byteRange });
      continue;
    }
    const raw = hexToBytes(text.slice(b + 1, c - 1));
    if (!raw || raw.length < 2) {
      found.push({ byteRange });
      continue;
    }
    // The DER length says where the CMS ends inside the zero padding.
    const parsed = asn1js.fromBER(toArrayBuffer(raw));
    found.push({ byteRange, cms: parsed.offset > 0 ? raw.subarray(0, parsed.offset) : undefined });
  }
  return found;
}

type ParsedSignature = { signedData: pkijs.SignedData; signerInfo: pkijs.SignerInfo; certificate: pkijs.Certificate };

function parseCms(cms: Uint8Array): ParsedSignature | undefined {
  try {
    const info = pkijs.ContentInfo.fromBER(toArrayBuffer(cms));
    const signedData = new pkijs.SignedData({ schema: info.content });
    const signerInfo = signedData.signerInfos[0];
    if (!signerInfo) return undefined;
    const sid = signerInfo.sid;
    const certificate = (signedData.certificates ?? []).find(
      (c): c is pkijs.Certificate =>
        c instanceof pkijs.Certificate &&
        sid instanceof pkijs.IssuerAndSerialNumber &&
        c.serialNumber.isEqual(sid.serialNumber) &&
        c.issuer.isEqual(sid.issuer),
    );
    return certificate ? { signedData, signerInfo, certificate } : undefined;
  } catch {
    return undefined;
  }
}

function spkiOf(certificate: pkijs.Certificate): Uint8Array {
  return new Uint8Array(certificate.subjectPublicKeyInfo.toSchema().toBER(false));
}

async function signatureHolds(signature: ParsedSignature, content: Uint8Array): Promise<boolean> {
  const attributes = signature.signerInfo.signedAttrs?.attributes ?? [];
  const digestAttribute = attributes.find((a) => a.type === MESSAGE_DIGEST);
  const expected = digestAttribute?.values[0] as asn1js.OctetString | undefined;
  if (!expected || !sameBytes(new Uint8Array(expected.valueBlock.valueHexView), await sha256(content))) return false;
  const signedAttrs = new asn1js.Set({ value: attributes.map((a) => a.toSchema()) }).toBER(false);
  try {
    const key = await crypto.subtle.importKey(
      'spki',
      toArrayBuffer(spkiOf(signature.certificate)),
      { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
      false,
      ['verify'],
    );
    return await crypto.subtle.verify(
      'RSASSA-PKCS1-v1_5',
      key,
      toArrayBuffer(new Uint8Array(signature.signerInfo.signature.valueBlock.valueHexView)),
      signedAttrs,
    );
  } catch {
    return false;
  }
}

/** The time of the signature-time-stamp token, when it is over this signature's value. */
async function timestampTime(signature: ParsedSignature): Promise<Date | undefined> {
  const attribute = signature.signerInfo.unsignedAttrs?.attributes.find(
    (a) => a.type === TIMESTAMP_OIDS.signatureTimeStampToken,
  );
  if (!attribute) return undefined;
  try {
    const facts = readTimestampToken(new Uint8Array(attribute.values[0].toBER(false)));
    const imprint = await sha256(new Uint8Array(signature.signerInfo.signature.valueBlock.valueHexView));
    return sameBytes(facts.imprint, imprint) ? facts.genTime : undefined;
  } catch {
    return undefined;
  }
}

export async function inspectCertification(options: InspectCertificationOptions): Promise<CertificationFinding> {
  const { pdf } = options;
  const sealKeys = options.sealCertificates.map((der) => spkiOf(pkijs.Certificate.fromBER(toArrayBuffer(der))));
  const signatures = findSignatures(pdf).map((found) => ({
    ...found,
    parsed: found.cms ? parseCms(found.cms) : undefined,
  }));
  const ours = signatures.find(
    (s) => s.parsed && sealKeys.some((key) => sameBytes(key, spkiOf(s.parsed!.certificate))),
  );
  if (!ours?.parsed) return { kind: 'not-certified', otherSignatures: signatures.filter((s) => s.parsed).length };

  const [a, b, c, d] = ours.byteRange;
  const end = c + d;
  const time = await timestampTime(ours.parsed);
  if (a !== 0 || end > pdf.length) return { kind: 'altered', timestampTime: time };
  const content = new Uint8Array(b + d);
  content.set(pdf.subarray(0, b), 0);
  content.set(pdf.subarray(c, end), b);
  if (!(await signatureHolds(ours.parsed, content))) return { kind: 'altered', timestampTime: time };
  const certifiedSha256 = hex(await sha256(end === pdf.length ? pdf : pdf.subarray(0, end)));
  if (end < pdf.length)
    return { kind: 'appended', certifiedSha256, appendedBytes: pdf.length - end, timestampTime: time };
  return { kind: 'unchanged', certifiedSha256, timestampTime: time };
}
