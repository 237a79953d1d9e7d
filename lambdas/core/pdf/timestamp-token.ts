// RFC 3161 messages with pkijs: the request a TSA adapter posts, the checks on its response (granted,
// our digest, our nonce), and the facts a verifier reads back from a token (time, imprint, chain).
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

export const TIMESTAMP_OIDS = {
  sha256: '2.16.840.1.101.3.4.2.1',
  signedData: '1.2.840.113549.1.7.2',
  tstInfo: '1.2.840.113549.1.9.16.1.4',
  /** id-aa-signatureTimeStampToken: the unsigned attribute of a CAdES signature. */
  signatureTimeStampToken: '1.2.840.113549.1.9.16.2.14',
} as const;

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((value, index) => value === b[index]);
}

/** A positive INTEGER with no leading zero byte, so every TSA echoes it back byte for byte. */
function positiveNonce(random: Uint8Array): Uint8Array {
  const nonce = new Uint8Array(random);
  if (nonce[0] !== undefined) nonce[0] = (nonce[0] & 0x3f) | 0x40;
  return nonce;
}

export type CreateTimestampRequestOptions = { digest: Uint8Array; nonce: Uint8Array };

/** A TimeStampReq (DER) for a SHA-256 digest, asking for the TSA's certificate in the token. */
export function createTimestampRequest(options: CreateTimestampRequestOptions): Uint8Array {
  const nonce = positiveNonce(options.nonce);
  const request = new pkijs.TimeStampReq({
    version: 1,
    messageImprint: new pkijs.MessageImprint({
      hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: TIMESTAMP_OIDS.sha256 }),
      hashedMessage: new asn1js.OctetString({ valueHex: toArrayBuffer(options.digest) }),
    }),
    nonce: new asn1js.Integer({ valueHex: toArrayBuffer(nonce) }),
    certReq: true,
  });
  return new Uint8Array(request.toSchema().toBER(false));
}

export type TimestampTokenFacts = {
  genTime: Date;
  policy: string;
  imprint: Uint8Array;
  nonce?: Uint8Array;
  /** DER certificates carried in the token (the TSA's, when asked for). */
  certificates: Uint8Array[];
};

/** Reads a time-stamp token (DER ContentInfo of a SignedData over a TSTInfo). */
export function readTimestampToken(token: Uint8Array): TimestampTokenFacts {
  const contentInfo = pkijs.ContentInfo.fromBER(toArrayBuffer(token));
  if (contentInfo.contentType !== TIMESTAMP_OIDS.signedData) throw new Error('The token is not a SignedData.');
  const signedData = new pkijs.SignedData({ schema: contentInfo.content });
  if (signedData.encapContentInfo.eContentType !== TIMESTAMP_OIDS.tstInfo)
    throw new Error('The token holds no TSTInfo.');
  const content = signedData.encapContentInfo.eContent;
  if (!content) throw new Error('The token holds no TSTInfo.');
  const tstInfo = pkijs.TSTInfo.fromBER(content.getValue());
  return {
    genTime: tstInfo.genTime,
    policy: tstInfo.policy,
    imprint: new Uint8Array(tstInfo.messageImprint.hashedMessage.valueBlock.valueHexView),
    nonce: tstInfo.nonce ? new Uint8Array(tstInfo.nonce.valueBlock.valueHexView) : undefined,
    certificates: (signedData.certificates ?? [])
      .filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate)
      .map((c) => new Uint8Array(c.toSchema().toBER(false))),
  };
}

export type ReadTimestampResponseOptions = { response: Uint8Array; digest: Uint8Array; nonce: Uint8Array };

/** The token of a granted TimeStampResp for our digest and nonce; throws with the reason otherwise. */
export function readTimestampResponse(options: ReadTimestampResponseOptions): Uint8Array {
  const response = pkijs.TimeStampResp.fromBER(toArrayBuffer(options.response));
  const status = response.status.status;
  // 0 granted, 1 grantedWithMods; anything else is a refusal.
  if (status !== 0 && status !== 1) throw new Error(`The time-stamp authority refused the request (status ${status}).`);
  if (!response.timeStampToken) throw new Error('The time-stamp response carries no token.');
  const token = new Uint8Array(response.timeStampToken.toSchema().toBER(false));
  const facts = readTimestampToken(token);
  if (!sameBytes(facts.imprint, options.digest)) throw new Error('The time-stamp token is over another digest.');
  if (facts.nonce && !sameBytes(facts.nonce, positiveNonce(options.nonce)))
    throw new Error('The time-stamp token answers another request (nonce).');
  return token;
}
