// The HTTP RevocationSource against a real local HTTP server serving the local PKI's root CRL:
// requests under way are shared (the Certify init's prefetch and the first document make one
// request), a failed request is not kept, and the prefetch itself never rejects.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHttpRevocationSource } from '../../lambdas/adapters/http/http-revocation-source.ts';
import { createKeyFileSigner } from '../../lambdas/adapters/local/key-file-signer.ts';
import { currentRootCrl } from '../../lambdas/adapters/local/local-pki.ts';
import { systemClock } from '../../lambdas/adapters/node/system-clock-and-random.ts';
import { collectCrls, prefetchChainCrls } from '../../lambdas/core/pdf/revocation-info.ts';
import { isTrustServiceUnavailable } from '../../lambdas/core/pdf/trust-service-error.ts';
import type { DigestSigner } from '../../lambdas/core/ports.ts';

let dataDir: string;
let server: Server;
let crlUrl: string;
let crl: Uint8Array;
let signer: DigestSigner;
let requests = 0;
/** Statuses to answer with before the CRL (one per request), and a delay before each answer. */
let failures: number[] = [];
let delayMs = 0;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'mailsign-crl-'));
  server = createServer((_request, response) => {
    requests += 1;
    const status = failures.shift();
    setTimeout(() => {
      if (status) response.writeHead(status).end();
      else response.writeHead(200, { 'content-type': 'application/pkix-crl' }).end(crl);
    }, delayMs);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
  crlUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/pki/root.crl`;
  signer = await createKeyFileSigner({ dataDir, crlUrl });
  crl = await currentRootCrl({ dataDir, now: new Date() });
});
beforeEach(() => {
  requests = 0;
  failures = [];
  delayMs = 0;
});
afterAll(async () => {
  await new Promise<void>((done) => server.close(() => done()));
  rmSync(dataDir, { recursive: true, force: true });
});

describe('createHttpRevocationSource', () => {
  it('shares one request between callers asking for a CRL that is being fetched', async () => {
    const source = createHttpRevocationSource({ clock: systemClock });
    delayMs = 50;
    const [first, second] = await Promise.all([source.fetchCrl(crlUrl), source.fetchCrl(crlUrl)]);
    expect(requests).toBe(1);
    expect(Buffer.from(first).equals(Buffer.from(crl))).toBe(true);
    expect(second).toBe(first);
  });

  it('does not keep a failed request: the next caller asks again', async () => {
    const source = createHttpRevocationSource({ clock: systemClock });
    failures = [503];
    await expect(source.fetchCrl(crlUrl)).rejects.toThrow(/HTTP 503/);
    const again = await source.fetchCrl(crlUrl);
    expect(requests).toBe(2);
    expect(Buffer.from(again).equals(Buffer.from(crl))).toBe(true);
  });
});

describe('prefetchChainCrls', () => {
  it('makes the one request the first document then waits on', async () => {
    const source = createHttpRevocationSource({ clock: systemClock });
    delayMs = 50;
    const prefetch = prefetchChainCrls({ signer, source });
    const collected = await collectCrls({ certificates: await signer.certificateChain(), source });
    await prefetch;
    expect(requests).toBe(1);
    expect(collected.urls).toEqual([crlUrl]);
    expect(collected.crls).toHaveLength(1);
  });

  it('resolves when the CRL cannot be fetched, and leaves the failure to the document', async () => {
    const source = createHttpRevocationSource({ clock: systemClock });
    failures = [500, 500];
    await expect(prefetchChainCrls({ signer, source })).resolves.toBeUndefined();
    const failure = await collectCrls({ certificates: await signer.certificateChain(), source }).catch(
      (error: unknown) => error,
    );
    expect(isTrustServiceUnavailable(failure)).toBe(true);
    expect(requests).toBe(2);
  });
});
