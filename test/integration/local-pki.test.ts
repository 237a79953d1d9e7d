// The local PKI: a data directory made before time-stamps (root and seal only, no CRL named) is
// extended in place: same root and seal keys, the seal certificate re-issued naming the CRL, a
// TSA certificate with the critical timeStamping EKU, and a root CRL that openssl verifies.
import { execFileSync, spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createKeyFileSigner } from '../../lambdas/adapters/local/key-file-signer.ts';
import { currentRootCrl, ensureLocalPki } from '../../lambdas/adapters/local/local-pki.ts';
import { crlDistributionUrls } from '../../lambdas/core/pdf/revocation-info.ts';
import { requireTool } from '../support/require-tool.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'mailsign-pki-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
const CRL_URL = 'http://localhost:3000/pki/root.crl';
const crlUrls = (pem: string) => crlDistributionUrls(new Uint8Array(new X509Certificate(pem).raw));
const read = (file: string) => readFileSync(join(dataDir, 'seal', file), 'utf8');

describe('local PKI', () => {
  it('extends an older data directory in place: same keys, the seal names the CRL, a TSA certificate', async () => {
    await createKeyFileSigner({ dataDir });
    const [rootKey, sealKey, rootCert, oldSeal] = [
      'root-key.pem',
      'seal-key.pem',
      'root-cert.pem',
      'seal-cert.pem',
    ].map(read);
    expect(crlUrls(oldSeal!)).toEqual([]);

    const pki = await ensureLocalPki({ dataDir, crlUrl: CRL_URL });
    expect([read('root-key.pem'), read('seal-key.pem'), read('root-cert.pem')]).toEqual([rootKey, sealKey, rootCert]);
    const seal = new X509Certificate(read('seal-cert.pem'));
    const root = new X509Certificate(rootCert!);
    expect(seal.publicKey.export({ format: 'pem', type: 'spki' })).toBe(
      new X509Certificate(oldSeal!).publicKey.export({ format: 'pem', type: 'spki' }),
    );
    expect(seal.verify(root.publicKey)).toBe(true);
    expect(crlUrls(read('seal-cert.pem'))).toEqual([CRL_URL]);
    expect(crlUrls(read('tsa-cert.pem'))).toEqual([CRL_URL]);
    const tsa = new X509Certificate(Buffer.from(pki.tsa!.chain[0]!));
    expect(tsa.verify(root.publicKey)).toBe(true);
    expect(tsa.keyUsage).toEqual(['1.3.6.1.5.5.7.3.8']);
  });

  it.runIf(requireTool('openssl'))('issues a root CRL that openssl verifies, and the TSA EKU is critical', async () => {
    await ensureLocalPki({ dataDir, crlUrl: CRL_URL });
    const crl = await currentRootCrl({ dataDir, now: new Date() });
    writeFileSync(join(dataDir, 'root.crl'), crl);
    const check = spawnSync(
      'openssl',
      [
        'crl',
        '-inform',
        'DER',
        '-in',
        join(dataDir, 'root.crl'),
        '-CAfile',
        join(dataDir, 'seal', 'root-cert.pem'),
        '-noout',
      ],
      { encoding: 'utf8' },
    );
    expect(check.status).toBe(0);
    expect(`${check.stdout}${check.stderr}`).toContain('verify OK');
    const text = execFileSync('openssl', ['x509', '-in', join(dataDir, 'seal', 'tsa-cert.pem'), '-noout', '-text'], {
      encoding: 'utf8',
    });
    expect(text).toMatch(/X509v3 Extended Key Usage: critical\s+Time Stamping/);
    // Re-asked while valid, the same CRL comes back.
    expect(Buffer.from(await currentRootCrl({ dataDir, now: new Date() }))).toEqual(Buffer.from(crl));
  });
});
