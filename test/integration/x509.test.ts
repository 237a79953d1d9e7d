// The X.509 and PEM helpers shared by the KMS signer, the key-file signer and `mailsign cert`.
import { generateKeyPairSync, sign } from 'node:crypto';
import * as pkijs from 'pkijs';
import { describe, expect, it } from 'vitest';
import {
  buildSelfIssuedCertificate,
  certificateMatchesPublicKey,
  formatPem,
  parseDistinguishedName,
  parsePemCertificates,
  readPemBlock,
} from '../../lambdas/adapters/node/x509.ts';

describe('parseDistinguishedName', () => {
  it('parses escaped commas and refuses unknown attributes or countries, as configuration errors', () => {
    const rdn = parseDistinguishedName('CN=Seal\\, Inc, O=Example, C=FR');
    expect(rdn.typesAndValues.map((item) => item.value.valueBlock.value)).toEqual(['Seal, Inc', 'Example', 'FR']);
    expect(() => parseDistinguishedName('XX=1')).toThrow(expect.objectContaining({ name: 'ConfigError' }));
    expect(() => parseDistinguishedName('C=France')).toThrow(/two-letter/);
    expect(() => parseDistinguishedName(' ')).toThrow(/empty/);
  });
});

describe('PEM', () => {
  it('writes 64-character lines and reads back the same DER', () => {
    const der = new Uint8Array(Array.from({ length: 200 }, (_, i) => i));
    const pem = formatPem({ label: 'CERTIFICATE', der });
    expect(pem.split('\n').every((line) => line.length <= 64)).toBe(true);
    expect(readPemBlock(pem)).toEqual(der);
    expect(parsePemCertificates(pem + pem)).toEqual([der, der]);
  });
});

describe('buildSelfIssuedCertificate', () => {
  it('certifies the given key, signed through the given signer', async () => {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const spki = new Uint8Array(publicKey.export({ type: 'spki', format: 'der' }));
    const der = await buildSelfIssuedCertificate({
      publicKey: spki,
      subject: 'CN=Test seal, O=Example, C=FR',
      notBefore: new Date('2026-01-01T00:00:00Z'),
      validityDays: 30,
      signTbs: async (tbs) => new Uint8Array(sign('sha256', new Uint8Array(tbs), privateKey)).buffer,
    });
    expect(certificateMatchesPublicKey({ certificate: der, publicKey: spki })).toBe(true);
    const certificate = pkijs.Certificate.fromBER(new Uint8Array(der));
    expect(await certificate.verify()).toBe(true);
  });
});
