// The Certify Lambda's initialisation: with a seal key deployed it builds the deps once, starts
// fetching the seal chain's CRLs and opens the time-stamp authority's connection (not awaited); otherwise (the local stack and the tests import
// the module for `step`) it builds nothing and leaves a bad configuration to the first invocation.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyFileSigner } from '../../../lambdas/adapters/local/key-file-signer.ts';
import type { AppConfig } from '../../../lambdas/config.ts';
import type { DigestSigner } from '../../../lambdas/core/ports.ts';
import { startCertifyInit } from '../../../lambdas/handlers/finalize-certify.ts';
import { createFakeDeps } from '../../support/fake-deps.ts';

const CRL_URL = 'http://crl.example.test/seal.crl';
let dataDir: string;
let signer: DigestSigner;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'mailsign-certify-init-'));
  signer = await createKeyFileSigner({ dataDir, crlUrl: CRL_URL });
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const config = (sealKeyId?: string) => ({ sealKeyId }) as AppConfig;

describe('startCertifyInit', () => {
  it('builds the deps and requests the seal chain CRLs when a seal key is deployed', async () => {
    let requested: (url: string) => void = () => {};
    const firstRequest = new Promise<string>((resolve) => {
      requested = resolve;
    });
    const deps = createFakeDeps({
      digestSigner: signer,
      revocationSource: {
        fetchCrl: async (url) => {
          requested(url);
          return new Uint8Array();
        },
      },
    });
    const built = startCertifyInit({ loadConfig: () => config('arn:aws:kms:key'), createDeps: () => deps });
    expect(built).toBe(deps);
    expect(await firstRequest).toBe(CRL_URL);
  });

  it('opens the connection to the time-stamp authority when a seal key is deployed', async () => {
    let connected: () => void = () => {};
    const connection = new Promise<void>((resolve) => {
      connected = resolve;
    });
    const deps = createFakeDeps({
      digestSigner: signer,
      timestampAuthority: {
        describe: () => 'tsa.example.test',
        timestamp: async () => new Uint8Array(),
        connect: async () => connected(),
      },
    });

    startCertifyInit({ loadConfig: () => config('arn:aws:kms:key'), createDeps: () => deps });

    await expect(connection).resolves.toBeUndefined();
  });

  it('builds nothing without a seal key (the local stack imports the module for its step)', () => {
    let created = 0;
    const built = startCertifyInit({
      loadConfig: () => config(undefined),
      createDeps: () => {
        created += 1;
        return createFakeDeps();
      },
    });
    expect(built).toBeUndefined();
    expect(created).toBe(0);
  });

  it('leaves a configuration that does not load to the first invocation', () => {
    const built = startCertifyInit({
      loadConfig: () => {
        throw new Error('MAILSIGN_TABLE is missing');
      },
      createDeps: () => createFakeDeps(),
    });
    expect(built).toBeUndefined();
  });
});
