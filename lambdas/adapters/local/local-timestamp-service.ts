// The local stack's RFC 3161 time-stamp authority (served at /dev/tsa): answers a TimeStampReq
// for a SHA-256 imprint with a token signed by the local PKI's time-stamping certificate (issued
// by the local root, critical timeStamping EKU), so `npm start` seals PAdES B-T through the same
// HTTP adapter as production. The token's signed attributes carry ESS signing-certificate-v2,
// which RFC 5816 requires and `openssl ts -verify` checks.
// The PKI (keys parsed, chain read) is loaded once per service, and the root's CRL kept in memory
// until it is due for re-issue: a request costs one RSA signature and a few DER concatenations.
import { createHash, randomBytes, sign } from 'node:crypto';
import { attribute, signerInfo, signingCertificateV2 } from '../../core/pdf/build-cms.ts';
import {
  children,
  context,
  decodeOid,
  encode,
  expectTag,
  generalizedTime,
  octetString,
  oid,
  readTlv,
  sequence,
  setOf,
  smallInteger,
  TAG,
  type Tlv,
  unsignedInteger,
} from '../../core/pdf/der.ts';
import { TIMESTAMP_OIDS } from '../../core/pdf/timestamp-token.ts';
import type { Clock } from '../../core/ports.ts';
import { currentRootCrl, ensureLocalPki, type LocalPki } from './local-pki.ts';

/** A policy arc of our own (2.25: UUID-based, no registration needed). */
export const LOCAL_TSA_POLICY = '2.25.216514428232189283726123649263473851271';

const OID = {
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
} as const;

/** The root's CRL is re-read from disk (and re-issued there if due) at most this often. */
const CRL_MEMORY_MS = 60 * 60 * 1000;

export type LocalTimestampServiceOptions = { dataDir: string; crlUrl: string; clock: Clock };

export type LocalTimestampService = {
  /** A DER TimeStampResp for a DER TimeStampReq (a rejection response for what it cannot stamp). */
  respond(request: Uint8Array): Promise<Uint8Array>;
  /** The root's current CRL (DER). */
  rootCrl(): Promise<Uint8Array>;
};

/** PKIStatusInfo rejection(2) with a text and one PKIFailureInfo bit. */
function rejection(failInfoBit: number, text: string): Uint8Array {
  const failInfo = new Uint8Array([0, 0, 0]);
  failInfo[failInfoBit >> 3] = 0x80 >> (failInfoBit & 7);
  const status = sequence(
    smallInteger(2),
    sequence(encode(TAG.utf8String, new TextEncoder().encode(text))),
    encode(TAG.bitString, new Uint8Array([0]), failInfo),
  );
  return sequence(status);
}

type TimestampRequest = {
  imprint: Tlv;
  algorithm: string;
  hashed: Uint8Array;
  nonce?: Tlv;
  certReq: boolean;
  policy?: Tlv;
};

function readRequest(der: Uint8Array): TimestampRequest {
  const fields = children(expectTag(readTlv(der), TAG.sequence, 'TimeStampReq'));
  const imprint = expectTag(fields[1], TAG.sequence, 'messageImprint');
  const [algorithm, hashed] = children(imprint);
  const rest = fields.slice(2);
  const certReq = rest.find((item) => item.tag === TAG.boolean);
  return {
    imprint,
    algorithm: decodeOid(
      expectTag(children(expectTag(algorithm, TAG.sequence, 'hashAlgorithm'))[0], TAG.oid, 'algorithm').value,
    ),
    hashed: expectTag(hashed, TAG.octetString, 'hashedMessage').value,
    policy: rest.find((item) => item.tag === TAG.oid),
    nonce: rest.find((item) => item.tag === TAG.integer),
    certReq: certReq !== undefined && certReq.value[0] !== 0,
  };
}

export function createLocalTimestampService(options: LocalTimestampServiceOptions): LocalTimestampService {
  let pki: Promise<LocalPki> | undefined;
  const loadPki = () => {
    pki ??= ensureLocalPki({ dataDir: options.dataDir, crlUrl: options.crlUrl }).catch((error) => {
      pki = undefined;
      throw error;
    });
    return pki;
  };
  let crl: { der: Uint8Array; until: number } | undefined;
  return {
    async rootCrl() {
      const now = options.clock.now();
      if (crl && crl.until > now.getTime()) return crl.der;
      await loadPki();
      const der = await currentRootCrl({ dataDir: options.dataDir, now });
      crl = { der, until: now.getTime() + CRL_MEMORY_MS };
      return der;
    },
    async respond(requestDer) {
      let request: TimestampRequest;
      try {
        request = readRequest(requestDer);
      } catch {
        return rejection(5, 'The request is not a TimeStampReq.'); // badDataFormat
      }
      if (request.algorithm !== TIMESTAMP_OIDS.sha256 || request.hashed.length !== 32)
        return rejection(0, 'Only SHA-256 imprints are stamped.'); // badAlg
      const tsa = (await loadPki()).tsa!;
      const tsaCertificate = tsa.chain[0]!;
      const serial = randomBytes(16);
      serial[0] = (serial[0]! & 0x7f) | 0x01;
      const tstInfo = sequence(
        smallInteger(1),
        request.policy?.bytes ?? oid(LOCAL_TSA_POLICY),
        request.imprint.bytes,
        unsignedInteger(serial),
        generalizedTime(options.clock.now()),
        sequence(smallInteger(1)), // accuracy: 1 second
        ...(request.nonce ? [request.nonce.bytes] : []),
      );
      const signedAttributes = setOf(
        attribute(OID.contentType, oid(TIMESTAMP_OIDS.tstInfo)),
        attribute(OID.messageDigest, octetString(createHash('sha256').update(tstInfo).digest())),
        attribute(OID.signingCertificateV2, signingCertificateV2(tsaCertificate)),
      );
      const signature = new Uint8Array(sign('sha256', signedAttributes, tsa.key));
      const signedData = sequence(
        smallInteger(3),
        setOf(sequence(oid(TIMESTAMP_OIDS.sha256))),
        sequence(oid(TIMESTAMP_OIDS.tstInfo), encode(context(0), octetString(tstInfo))),
        ...(request.certReq ? [encode(context(0), ...tsa.chain)] : []),
        encode(TAG.set, signerInfo({ certificateDer: tsaCertificate, signedAttributes, signature })),
      );
      const token = sequence(oid(TIMESTAMP_OIDS.signedData), encode(context(0), signedData));
      return sequence(sequence(smallInteger(0)), token);
    },
  };
}
