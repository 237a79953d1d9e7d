// verify.html in headless Chromium against the real local stack: a PDF sealed by the stack (B-T,
// its own TSA) is reported certified and unchanged with its envelope facts; one changed byte in
// the signed ranges is reported as altered; a plain PDF as not certified. The PDF never leaves
// the page: only the hash lookup reaches the API (checked on the requests the page made).
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certifyDocument, prepareDocument } from '../../lambdas/core/pdf/index.ts';
import { putCertifiedRecord, recordSealCertificate } from '../../lambdas/core/verify/certified-index.ts';
import { buildWeb } from '../../web/build.ts';
import { hasChromium, launchChromium } from '../support/browser.ts';
import { startTestStack, type TestStack } from '../support/local-stack-fixture.ts';
import { makeAudit, makePdf, makeStamps, SIGNING_TIME } from '../unit/core/pdf/pdf-test-fixtures.ts';

const chromium = hasChromium();
let stack: TestStack;
let browser: Browser;
let webRoot: string;
let certified: Uint8Array;

beforeAll(async () => {
  if (!chromium) return;
  webRoot = await mkdtemp(join(tmpdir(), 'mailsign-web-'));
  await buildWeb({ outDir: webRoot });
  stack = await startTestStack({ webRoot });
  browser = await launchChromium();
  const prepared = await prepareDocument({
    original: await makePdf({ pages: 1 }),
    stamps: makeStamps(1, 1),
    audit: makeAudit({ signers: 1 }),
    signingTime: SIGNING_TIME,
    signerName: 'mailsign',
    reason: 'Certifié par mailsign / Certified by mailsign',
    location: 'mailsign',
  });
  const deps = stack.deps;
  certified = await certifyDocument({
    prepared,
    signer: deps.digestSigner,
    timestampAuthority: deps.timestampAuthority,
    revocationSource: deps.revocationSource,
  });
  const [sealCertificate] = await deps.digestSigner.certificateChain();
  await recordSealCertificate({ store: deps.store, certificate: sealCertificate!, at: SIGNING_TIME });
  await putCertifiedRecord(deps.store, {
    sha256: createHash('sha256').update(certified).digest('hex'),
    envelopeId: 'env-verify-1',
    documentId: 'd1',
    documentName: 'contrat.pdf',
    subject: 'Contrat de prestation',
    originalSha256: 'b'.repeat(64),
    certifiedAt: SIGNING_TIME.toISOString(),
    signers: [{ name: 'Jeanne Martin', email: 'jeanne@client.fr', signedAt: '2026-11-27T10:00:00.000Z' }],
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stack?.cleanup();
  if (webRoot) await rm(webRoot, { recursive: true, force: true });
});

async function verifyInPage(pdf: Uint8Array, options: { locale?: string; width?: number } = {}) {
  const context = await browser.newContext({
    locale: options.locale ?? 'fr-FR',
    viewport: { width: options.width ?? 1024, height: 800 },
  });
  const page = await context.newPage();
  const requests: Array<{ url: string; bodySize: number }> = [];
  page.on('request', (request) =>
    requests.push({ url: request.url(), bodySize: request.postDataBuffer()?.length ?? 0 }),
  );
  await page.goto(`${stack.httpUrl}/verify.html`);
  await page.setInputFiles('#verify-file', {
    name: 'contrat-signe.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.from(pdf),
  });
  const report = page.getByTestId('verify-result').locator('.verify-report');
  await report.waitFor({ timeout: 20_000 });
  const kind = await report.getAttribute('data-kind');
  const text = (await report.textContent()) ?? '';
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
  await context.close();
  return { kind, text, requests, overflow };
}

describe.skipIf(!chromium)('verify.html', () => {
  it('reports a file sealed by the stack as certified and unchanged, with its envelope and time-stamp', async () => {
    const { kind, text, requests } = await verifyInPage(certified);
    expect(kind).toBe('unchanged');
    expect(text).toContain('Certifié par ce service et inchangé depuis.');
    expect(text).toContain('env-verify-1');
    expect(text).toContain('Jeanne Martin');
    expect(text).toContain('b'.repeat(64));
    expect(text).toMatch(/Horodatage du scellement : \d+ \w+ 20\d\d/);
    // Nothing is uploaded: no request carries a body; the hash lookup is a GET.
    expect(requests.every((r) => r.bodySize === 0)).toBe(true);
    const sha = createHash('sha256').update(certified).digest('hex');
    expect(requests.some((r) => r.url.endsWith(`/api/verify/documents/${sha}`))).toBe(true);
  });

  it('reports one changed byte in the signed ranges as altered', async () => {
    const changed = new Uint8Array(certified);
    changed[300] = changed[300]! ^ 0x01;
    const { kind, text } = await verifyInPage(changed);
    expect(kind).toBe('altered');
    expect(text).toContain('des octets signés ont été modifiés');
  });

  it('reports a plain PDF as not certified, in English, at phone size without horizontal scrolling', async () => {
    const { kind, text, overflow } = await verifyInPage(await makePdf({ pages: 1 }), { locale: 'en-GB', width: 375 });
    expect(kind).toBe('not-certified');
    expect(text).toContain('Not certified by this service (no signature).');
    expect(overflow).toBe(false);
  });
});
