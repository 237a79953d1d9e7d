// The local DigestSigner: the "mailsign local seal" key and certificate of the local PKI
// (local-pki.ts: generated into <dataDir>/seal/ on first use, then reused). With a CRL URL the
// seal certificate names the root's CRL that the local stack serves.
import { constants, privateEncrypt } from 'node:crypto';
import type { DigestSigner } from '../../core/ports.ts';
import { ensureLocalPki } from './local-pki.ts';

export type CreateKeyFileSignerOptions = { dataDir: string; crlUrl?: string };

const SHA256_DIGEST_INFO_PREFIX = Buffer.from('3031300d060960864801650304020105000420', 'hex');

export async function createKeyFileSigner(options: CreateKeyFileSignerOptions): Promise<DigestSigner> {
  const { sealKey: key, sealChain: chain } = await ensureLocalPki(options);
  return {
    async signDigest(digest: Uint8Array): Promise<Uint8Array> {
      if (digest.length !== 32) throw new Error('signDigest expects a SHA-256 digest (32 bytes).');
      const digestInfo = Buffer.concat([SHA256_DIGEST_INFO_PREFIX, digest]);
      return new Uint8Array(privateEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, digestInfo));
    },
    async certificateChain(): Promise<Uint8Array[]> {
      return chain.map((der) => new Uint8Array(der));
    },
  };
}
