// PAdES B-T with revocation data, end to end through the real HTTP adapters: the local TSA and
// CRL (served as the local stack serves them), `openssl ts -reply` as an independent TSA, a first
// TSA down, every TSA down. Every output passes the independent verifiers, `openssl ts -verify`
// of the embedded token and `openssl crl` of the embedded CRL against the root.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpRevocationSource } from '../../lambdas/adapters/http/http-revocation-source.ts';
import { createHttpTimestampAuthority } from '../../lambdas/adapters/http/rfc3161-timestamp-authority.ts';
import { createKeyFileSigner } from '../../lambdas/adapters/local/key-file-signer.ts';
import { systemClock } from '../../lambdas/adapters/node/system-clock-and-random.ts';
import { certifyDocument, prepareDocument } from '../../lambdas/core/pdf/index.ts';
import { readTimestampToken } from '../../lambdas/core/pdf/timestamp-token.ts';
import type { DigestSigner, RevocationSource, TimestampAuthority } from '../../lambdas/core/ports.ts';
import { serveLocalTrustServices } from '../../lambdas/runtime/local-trust-routes.ts';
import { startOpensslTsa, unreachableUrl, type OpensslTsa } from '../support/openssl-tsa.ts';
import { extractTimestampToken, verifyCertifiedPdf } from '../support/pdf-verifiers.ts';
import { requireTool } from '../support/require-tool.ts';
import { makeAudit, makePdf, makeStamps, SIGNING_TIME } from '../unit/core/pdf/pdf-test-fixtures.ts';

const toolsPresent = requireTool('pdfsig', 'mutool', 'qpdf', 'openssl');

let dataDir: string;
let server: Server;
let httpUrl: string;
let signer: DigestSigner;
let rootCaPem: string;
let openTsa: OpensslTsa;
let localTsaUrl: string;
let crlFetches = 0;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'mailsign-bt-'));
  let trust: ReturnType<typeof serveLocalTrustServices> | undefined;
  server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    if (path.endsWith('.crl')) crlFetches += 1;
    void trust!.handle(path, request, response).then((handled) => {
      if (!handled) response.writeHead(404).end();
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
  httpUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  trust = serveLocalTrustServices({ dataDir, httpUrl });
  localTsaUrl = trust.tsaUrl;
  signer = await createKeyFileSigner({ dataDir, crlUrl: trust.crlUrl });
  rootCaPem = readFileSync(join(dataDir, 'seal', 'root-cert.pem'), 'utf8');
  if (toolsPresent) openTsa = await startOpensslTsa();
});
afterAll(async () => {
  await openTsa?.stop();
  await new Promise<void>((done) => server.close(() => done()));
  rmSync(dataDir, { recursive: true, force: true });
});

async function certify(options: { tsa?: TimestampAuthority; revocation?: RevocationSource }) {
  const original = await makePdf({ pages: 2 });
  const prepared = await prepareDocument({
    original,
    stamps: makeStamps(2, 2),
    audit: makeAudit({ signers: 2 }),
    signingTime: SIGNING_TIME,
    signerName: 'mailsign',
    reason: 'Certifié par mailsign / Certified by mailsign',
    location: 'mailsign',
  });
  const pdf = await certifyDocument({
    prepared,
    signer,
    timestampAuthority: options.tsa,
    revocationSource: options.revocation ?? createHttpRevocationSource({ clock: systemClock }),
  });
  return { original, pdf };
}

describe.skipIf(!toolsPresent)('PAdES B-T with revocation data', () => {
  it('seals with the local TSA and the root CRL: every verifier, openssl ts and openssl crl pass', async () => {
    const { original, pdf } = await certify({ tsa: createHttpTimestampAuthority({ urls: [localTsaUrl] }) });
    await verifyCertifiedPdf({ pdf, original, rootCaPem, tsaCaPem: rootCaPem, revocation: true });
  });

  it('seals with openssl ts -reply as an independent TSA', async () => {
    const before = openTsa.requests();
    const { original, pdf } = await certify({ tsa: createHttpTimestampAuthority({ urls: [openTsa.url] }) });
    expect(openTsa.requests()).toBe(before + 1);
    await verifyCertifiedPdf({ pdf, original, rootCaPem, tsaCaPem: openTsa.caPem, revocation: true });
  });

  it('skips a first TSA that is down and stamps with the next', async () => {
    const urls = [await unreachableUrl(), openTsa.url];
    const { original, pdf } = await certify({ tsa: createHttpTimestampAuthority({ urls, timeoutMs: 1000 }) });
    await verifyCertifiedPdf({ pdf, original, rootCaPem, tsaCaPem: openTsa.caPem, revocation: true });
  });

  it('fails with a retryable error when every TSA is down (no seal without time-stamp)', async () => {
    const urls = [await unreachableUrl(), await unreachableUrl()];
    const failure = await certify({ tsa: createHttpTimestampAuthority({ urls, timeoutMs: 1000 }) }).catch(
      (error: unknown) => error as Error,
    );
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).name).toBe('TransientError');
    expect((failure as Error).message).toMatch(/No time-stamp authority answered/);
  });

  it('fails with a retryable error when the seal CRL cannot be fetched', async () => {
    const failing: RevocationSource = { fetchCrl: async () => Promise.reject(new Error('connection refused')) };
    const failure = await certify({ revocation: failing }).catch((error: unknown) => error as Error);
    expect((failure as Error).name).toBe('TransientError');
  });

  it('time-stamps the SHA-256 of the signature value, at the time of sealing', async () => {
    const started = Date.now();
    const { pdf } = await certify({ tsa: createHttpTimestampAuthority({ urls: [localTsaUrl] }) });
    const { token, signatureValue } = extractTimestampToken(pdf);
    const facts = readTimestampToken(token);
    const { createHash } = await import('node:crypto');
    expect(Buffer.from(facts.imprint).toString('hex')).toBe(createHash('sha256').update(signatureValue).digest('hex'));
    expect(facts.genTime.getTime()).toBeGreaterThanOrEqual(started - 2000);
  });

  it('fetches a CRL once while it is valid', async () => {
    const revocation = createHttpRevocationSource({ clock: systemClock });
    const before = crlFetches;
    await certify({ revocation });
    await certify({ revocation });
    expect(crlFetches).toBe(before + 1);
  });

  it('reports one changed byte in the signed ranges through every verifier', async () => {
    const { pdf } = await certify({ tsa: createHttpTimestampAuthority({ urls: [localTsaUrl] }) });
    const changed = new Uint8Array(pdf);
    changed[100] = changed[100]! ^ 0x01;
    await expect(verifyCertifiedPdf({ pdf: changed, rootCaPem })).rejects.toThrow();
  });
});
