// The local stack's RFC 3161 time-stamp authority (served at /dev/tsa): answers a TimeStampReq
// for a SHA-256 imprint with a token signed by the local PKI's time-stamping certificate (issued
// by the local root, critical timeStamping EKU), so `npm start` seals PAdES B-T through the same
// HTTP adapter as production. The token's signed attributes carry ESS signing-certificate-v2,
// which RFC 5816 requires and `openssl ts -verify` checks.
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { createHash, randomBytes, sign } from 'node:crypto';
import { compareBytes, signingCertificateV2 } from '../../core/pdf/build-cms.ts';
import { TIMESTAMP_OIDS } from '../../core/pdf/timestamp-token.ts';
import type { Clock } from '../../core/ports.ts';
import { currentRootCrl, ensureLocalPki } from './local-pki.ts';

/** A policy arc of our own (2.25: UUID-based, no registration needed). */
export const LOCAL_TSA_POLICY = '2.25.216514428232189283726123649263473851271';

const OID = {
  data: '1.2.840.113549.1.7.1',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  rsaEncryption: '1.2.840.113549.1.1.1',
} as const;

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

export type LocalTimestampServiceOptions = { dataDir: string; crlUrl: string; clock: Clock };

export type LocalTimestampService = {
  /** A DER TimeStampResp for a DER TimeStampReq (a rejection response for what it cannot stamp). */
  respond(request: Uint8Array): Promise<Uint8Array>;
  /** The root's current CRL (DER). */
  rootCrl(): Promise<Uint8Array>;
};

function rejection(failInfoBit: number, text: string): Uint8Array {
  const failInfo = new Uint8Array([0, 0, 0]);
  failInfo[failInfoBit >> 3] = 0x80 >> (failInfoBit & 7);
  const status = new pkijs.PKIStatusInfo({
    status: 2,
    statusStrings: [new asn1js.Utf8String({ value: text })],
    failInfo: new asn1js.BitString({ valueHex: failInfo.buffer }),
  });
  return new Uint8Array(new pkijs.TimeStampResp({ status }).toSchema().toBER(false));
}

export function createLocalTimestampService(options: LocalTimestampServiceOptions): LocalTimestampService {
  return {
    async rootCrl() {
      await ensureLocalPki({ dataDir: options.dataDir, crlUrl: options.crlUrl });
      return currentRootCrl({ dataDir: options.dataDir, now: options.clock.now() });
    },
    async respond(requestDer) {
      let request: pkijs.TimeStampReq;
      try {
        request = pkijs.TimeStampReq.fromBER(toArrayBuffer(requestDer));
      } catch {
        return rejection(5, 'The request is not a TimeStampReq.'); // badDataFormat
      }
      const imprint = request.messageImprint;
      if (
        imprint.hashAlgorithm.algorithmId !== TIMESTAMP_OIDS.sha256 ||
        imprint.hashedMessage.valueBlock.valueHexView.length !== 32
      )
        return rejection(0, 'Only SHA-256 imprints are stamped.'); // badAlg
      const pki = await ensureLocalPki({ dataDir: options.dataDir, crlUrl: options.crlUrl });
      const tsa = pki.tsa!;
      const tsaCertificate = pkijs.Certificate.fromBER(toArrayBuffer(tsa.chain[0]!));
      const serial = randomBytes(16);
      serial[0] = (serial[0]! & 0x7f) | 0x01;
      const tstInfo = new pkijs.TSTInfo({
        version: 1,
        policy: request.reqPolicy ?? LOCAL_TSA_POLICY,
        messageImprint: imprint,
        serialNumber: new asn1js.Integer({ valueHex: serial }),
        genTime: options.clock.now(),
        accuracy: new pkijs.Accuracy({ seconds: 1 }),
        ...(request.nonce ? { nonce: request.nonce } : {}),
      });
      const content = new Uint8Array(tstInfo.toSchema().toBER(false));
      const attributes = [
        new pkijs.Attribute({
          type: OID.contentType,
          values: [new asn1js.ObjectIdentifier({ value: TIMESTAMP_OIDS.tstInfo })],
        }),
        new pkijs.Attribute({
          type: OID.messageDigest,
          values: [new asn1js.OctetString({ valueHex: createHash('sha256').update(content).digest() })],
        }),
        new pkijs.Attribute({
          type: '1.2.840.113549.1.9.16.2.47',
          values: [signingCertificateV2(tsa.chain[0]!, tsaCertificate)],
        }),
      ]
        .map((attribute) => ({ attribute, der: new Uint8Array(attribute.toSchema().toBER(false)) }))
        .sort((a, b) => compareBytes(a.der, b.der))
        .map((entry) => entry.attribute);
      const signedAttrs = new asn1js.Set({ value: attributes.map((a) => a.toSchema()) }).toBER(false);
      const signature = sign('sha256', new Uint8Array(signedAttrs), tsa.key);
      const sha256 = new pkijs.AlgorithmIdentifier({ algorithmId: TIMESTAMP_OIDS.sha256 });
      const signedData = new pkijs.SignedData({
        version: 3,
        digestAlgorithms: [sha256],
        encapContentInfo: new pkijs.EncapsulatedContentInfo({
          eContentType: TIMESTAMP_OIDS.tstInfo,
          eContent: new asn1js.OctetString({ valueHex: toArrayBuffer(content) }),
        }),
        ...(request.certReq
          ? { certificates: tsa.chain.map((der) => pkijs.Certificate.fromBER(toArrayBuffer(der))) }
          : {}),
        signerInfos: [
          new pkijs.SignerInfo({
            version: 1,
            sid: new pkijs.IssuerAndSerialNumber({
              issuer: tsaCertificate.issuer,
              serialNumber: tsaCertificate.serialNumber,
            }),
            digestAlgorithm: sha256,
            signedAttrs: new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes }),
            signatureAlgorithm: new pkijs.AlgorithmIdentifier({
              algorithmId: OID.rsaEncryption,
              algorithmParams: new asn1js.Null(),
            }),
            signature: new asn1js.OctetString({ valueHex: toArrayBuffer(new Uint8Array(signature)) }),
          }),
        ],
      });
      const token = new pkijs.ContentInfo({ contentType: TIMESTAMP_OIDS.signedData, content: signedData.toSchema() });
      const response = new pkijs.TimeStampResp({
        status: new pkijs.PKIStatusInfo({ status: 0 }),
        timeStampToken: token,
      });
      return new Uint8Array(response.toSchema().toBER(false));
    },
  };
}
