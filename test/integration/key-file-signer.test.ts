import { createHash, createPublicKey, verify, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createKeyFileSigner } from '../../lambdas/adapters/local/key-file-signer.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'mailsign-seal-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('createKeyFileSigner', () => {
  it('generates a local root and seal once, with private keys readable only by the owner', async () => {
    const signer = await createKeyFileSigner({ dataDir });
    const [leafDer, rootDer] = await signer.certificateChain();
    const leaf = new X509Certificate(leafDer!);
    const root = new X509Certificate(rootDer!);
    expect(leaf.subject).toContain('CN=mailsign local seal');
    expect(root.subject).toContain('CN=mailsign local root');
    expect(leaf.checkIssued(root)).toBe(true);
    expect(leaf.verify(root.publicKey)).toBe(true);
    expect(root.ca).toBe(true);
    expect(leaf.ca).toBe(false);
    expect(leaf.publicKey.asymmetricKeyDetails?.modulusLength).toBe(3072);
    for (const file of ['root-key.pem', 'seal-key.pem']) {
      expect(statSync(join(dataDir, 'seal', file)).mode & 0o777).toBe(0o600);
    }
  });

  it('reuses the same keys on later runs', async () => {
    const before = readFileSync(join(dataDir, 'seal', 'seal-cert.pem'), 'utf8');
    const signer = await createKeyFileSigner({ dataDir });
    const [leafDer] = await signer.certificateChain();
    expect(new X509Certificate(leafDer!).toString()).toBe(before);
    expect(readFileSync(join(dataDir, 'seal', 'seal-cert.pem'), 'utf8')).toBe(before);
  });

  it('signs a SHA-256 digest as RSASSA-PKCS1-v1_5 (what KMS does with MessageType DIGEST)', async () => {
    const signer = await createKeyFileSigner({ dataDir });
    const message = Buffer.from('mailsign');
    const signature = await signer.signDigest(createHash('sha256').update(message).digest());
    const [leafDer] = await signer.certificateChain();
    const publicKey = createPublicKey(new X509Certificate(leafDer!).publicKey.export({ type: 'spki', format: 'pem' }));
    expect(signature.length).toBe(384);
    expect(verify('sha256', message, publicKey, signature)).toBe(true);
    await expect(signer.signDigest(new Uint8Array(20))).rejects.toThrow(/32 bytes/);
  });
});
