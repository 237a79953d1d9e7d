// RFC 3161 messages, read and written with der.ts: the request a TSA adapter posts, the checks on
// its response (granted, our digest, our nonce), and the facts a verifier reads back from a token
// (time, imprint, chain). The token goes into the signature as the TSA encoded it (never
// re-encoded: its signature covers those bytes). Runs in the browser too (verify.html).
import {
  children,
  context,
  decodeOid,
  decodeTime,
  DerError,
  encode,
  expectTag,
  octetString,
  oid,
  readTlv,
  sameBytes,
  sequence,
  smallInteger,
  TAG,
  type Tlv,
  unsignedInteger,
} from './der.ts';

export const TIMESTAMP_OIDS = {
  sha256: '2.16.840.1.101.3.4.2.1',
  signedData: '1.2.840.113549.1.7.2',
  tstInfo: '1.2.840.113549.1.9.16.1.4',
  /** id-aa-signatureTimeStampToken: the unsigned attribute of a CAdES signature. */
  signatureTimeStampToken: '1.2.840.113549.1.9.16.2.14',
} as const;

/** A positive INTEGER with no leading zero byte, so every TSA echoes it back byte for byte. */
function positiveNonce(random: Uint8Array): Uint8Array {
  const nonce = new Uint8Array(random);
  if (nonce[0] !== undefined) nonce[0] = (nonce[0] & 0x3f) | 0x40;
  return nonce;
}

export type CreateTimestampRequestOptions = { digest: Uint8Array; nonce: Uint8Array };

/** A TimeStampReq (DER) for a SHA-256 digest, asking for the TSA's certificate in the token. */
export function createTimestampRequest(options: CreateTimestampRequestOptions): Uint8Array {
  return sequence(
    smallInteger(1),
    sequence(sequence(oid(TIMESTAMP_OIDS.sha256)), octetString(options.digest)),
    unsignedInteger(positiveNonce(options.nonce)),
    encode(TAG.boolean, new Uint8Array([0xff])), // certReq TRUE
  );
}

export type TimestampTokenFacts = {
  genTime: Date;
  policy: string;
  imprint: Uint8Array;
  nonce?: Uint8Array;
  /** DER certificates carried in the token (the TSA's, when asked for). */
  certificates: Uint8Array[];
};

/** An OCTET STRING's bytes, also in the constructed (BER) form some writers use for eContent. */
function octetStringValue(element: Tlv | undefined): Uint8Array {
  if (element?.tag === TAG.octetString) return element.value;
  if (element?.tag !== (TAG.octetString | 0x20)) throw new DerError('DER: eContent is missing or malformed.');
  const parts = children(element).map(octetStringValue);
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** Reads a time-stamp token (DER ContentInfo of a SignedData over a TSTInfo). */
export function readTimestampToken(token: Uint8Array): TimestampTokenFacts {
  const [type, content] = children(expectTag(readTlv(token), TAG.sequence, 'ContentInfo'));
  if (decodeOid(expectTag(type, TAG.oid, 'contentType').value) !== TIMESTAMP_OIDS.signedData)
    throw new Error('The token is not a SignedData.');
  const signedData = children(
    expectTag(children(expectTag(content, context(0), 'content'))[0], TAG.sequence, 'SignedData'),
  );
  const [eType, eContent] = children(expectTag(signedData[2], TAG.sequence, 'encapContentInfo'));
  if (decodeOid(expectTag(eType, TAG.oid, 'eContentType').value) !== TIMESTAMP_OIDS.tstInfo || !eContent)
    throw new Error('The token holds no TSTInfo.');
  const tstDer = octetStringValue(children(expectTag(eContent, context(0), 'eContent'))[0]);
  const tst = children(expectTag(readTlv(tstDer), TAG.sequence, 'TSTInfo'));
  const imprint = children(expectTag(tst[2], TAG.sequence, 'messageImprint'));
  const genTime = expectTag(tst[4], TAG.generalizedTime, 'genTime');
  // After genTime: accuracy SEQUENCE?, ordering BOOLEAN?, nonce INTEGER?, tsa [0]?, extensions [1]?
  const nonce = tst.slice(5).find((item) => item.tag === TAG.integer);
  const certificates = signedData.slice(3).find((item) => item.tag === context(0));
  return {
    genTime: decodeTime(genTime),
    policy: decodeOid(expectTag(tst[1], TAG.oid, 'policy').value),
    imprint: expectTag(imprint[1], TAG.octetString, 'hashedMessage').value.slice(),
    nonce: nonce?.value.slice(),
    certificates: (certificates ? children(certificates) : [])
      .filter((item) => item.tag === TAG.sequence)
      .map((item) => item.bytes.slice()),
  };
}

export type ReadTimestampResponseOptions = { response: Uint8Array; digest: Uint8Array; nonce: Uint8Array };

/** The token of a granted TimeStampResp for our digest and nonce; throws with the reason otherwise. */
export function readTimestampResponse(options: ReadTimestampResponseOptions): Uint8Array {
  let status: number;
  let tokenTlv: Uint8Array | undefined;
  try {
    const [statusInfo, token] = children(expectTag(readTlv(options.response), TAG.sequence, 'TimeStampResp'));
    const statusValue = expectTag(children(expectTag(statusInfo, TAG.sequence, 'status'))[0], TAG.integer, 'status');
    status = statusValue.value.length === 1 ? statusValue.value[0]! : -1;
    tokenTlv = token?.bytes;
  } catch (error) {
    if (error instanceof DerError) throw new Error('The time-stamp response is not a TimeStampResp.', { cause: error });
    throw error;
  }
  // 0 granted, 1 grantedWithMods; anything else is a refusal.
  if (status !== 0 && status !== 1) throw new Error(`The time-stamp authority refused the request (status ${status}).`);
  if (!tokenTlv) throw new Error('The time-stamp response carries no token.');
  const token = tokenTlv.slice();
  const facts = readTimestampToken(token);
  if (!sameBytes(facts.imprint, options.digest)) throw new Error('The time-stamp token is over another digest.');
  if (facts.nonce && !sameBytes(facts.nonce, positiveNonce(options.nonce)))
    throw new Error('The time-stamp token answers another request (nonce).');
  return token;
}
