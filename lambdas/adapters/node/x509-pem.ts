// PEM text in and out, and the certificate-to-key match: node:crypto only, so the KMS signer can
// check the installed chain without loading pkijs (x509.ts builds certificates with it).
import { createPublicKey, X509Certificate } from 'node:crypto';

/** The DER bytes of the first PEM block of a text (any label). */
export function readPemBlock(pem: string): Uint8Array {
  const block = /-----BEGIN [^-]+-----([\s\S]*?)-----END [^-]+-----/.exec(pem);
  return new Uint8Array(Buffer.from((block?.[1] ?? '').replace(/\s+/g, ''), 'base64'));
}

/** DER certificates of every CERTIFICATE block of a PEM text, in file order. */
export function parsePemCertificates(pem: string): Uint8Array[] {
  const blocks = [...pem.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)];
  return blocks.map((block) => new Uint8Array(Buffer.from((block[1] ?? '').replace(/\s+/g, ''), 'base64')));
}

export function formatPem(options: { label: string; der: Uint8Array | ArrayBuffer }): string {
  const base64 = Buffer.from(options.der instanceof Uint8Array ? options.der : new Uint8Array(options.der)).toString(
    'base64',
  );
  const lines = base64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${options.label}-----\n${lines.join('\n')}\n-----END ${options.label}-----\n`;
}

/** True when the certificate (DER) certifies exactly this public key (DER SPKI). */
export function certificateMatchesPublicKey(options: { certificate: Uint8Array; publicKey: Uint8Array }): boolean {
  const certified = new X509Certificate(Buffer.from(options.certificate)).publicKey;
  return certified.equals(createPublicKey({ key: Buffer.from(options.publicKey), format: 'der', type: 'spki' }));
}
