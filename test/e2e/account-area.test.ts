// The customer area in headless Chromium against the real local stack: a `*SIGN` mail goes in
// through SMTP, the signer signs through the signing API over HTTP, finalization certifies the PDF;
// then the sender asks for a login link on account.html, opens it from the outbox, sees the
// balance and the request, and downloads the certified PDF.
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAccountCommand } from '../../bin/commands/account.ts';
import { buildWeb } from '../../web/build.ts';
import { hasChromium, launchChromium } from '../support/browser.ts';
import {
  readOutboxMail,
  readOutboxSms,
  sendSmtp,
  startTestStack,
  type TestStack,
  requestLoginLink,
  latestLoginLink,
} from '../support/local-stack-fixture.ts';
import { makePdf } from '../support/mail-fixtures.ts';
import { createSigningApiCall, prepareSignature, signingTokenOf } from '../support/signing-api-client.ts';
import { pngDataUrl } from '../unit/core/signing/envelope-fixture.ts';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

const SENDER = 'claire@agence-dubois.fr';
const enabled = hasChromium();
let stack: TestStack;
let browser: Browser;
let webRoot: string;

/** Signs as the (only) signer through the signing API, as the page would. */
async function signOverHttp(): Promise<void> {
  const invitation = (await readOutboxMail(stack)).find((m) => m.deliveredTo[0] === 'jeanne@client.fr');
  const token = signingTokenOf(invitation?.text);
  const api = createSigningApiCall({ baseUrl: stack.httpUrl });
  const placements = await prepareSignature({
    call: api,
    token,
    phone: '06 12 34 56 78',
    readLastSms: async () => (await readOutboxSms(stack)).at(-1)?.body,
    box: { x: 0.55, y: 0.8, width: 0.3, height: 0.08 },
  });
  await api('/api/signing/signature', token, { image: pngDataUrl(), placements, consent: true });
  await stack.idle();
}

beforeAll(async () => {
  if (!enabled) return;
  webRoot = await mkdtemp(join(tmpdir(), 'mailsign-web-'));
  await buildWeb({ outDir: webRoot });
  stack = await startTestStack({ webRoot });
  browser = await launchChromium();
  await sendSmtp(stack, {
    from: `Claire Dubois <${SENDER}>`,
    to: ['Jeanne Martin <jeanne@client.fr>'],
    subject: '*SIGN Devis cuisine',
    text: 'Bonjour, merci de signer le devis.',
    attachments: [
      {
        filename: 'devis.pdf',
        content: await makePdf({ pages: 1, title: 'Devis cuisine' }),
        contentType: 'application/pdf',
      },
    ],
  });
  await stack.idle();
  await runAccountCommand(['credit', SENDER, '25', '--create'], {
    env: { MAILSIGN_DATA_DIR: stack.dataDir },
    stdout: () => {},
  });
  await signOverHttp();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stack?.cleanup();
  if (webRoot) await rm(webRoot, { recursive: true, force: true });
});

describe.skipIf(!enabled)('customer area in Chromium', () => {
  it('logs in with the mailed link and downloads the certified PDF', async () => {
    const context = await browser.newContext({ locale: 'fr-FR', acceptDownloads: true });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));

    await page.goto(`${stack.httpUrl}/account.html`);
    await page.getByLabel('Adresse e-mail').fill(SENDER);
    await page.getByRole('button', { name: 'Recevoir le lien' }).click();
    await page.getByRole('heading', { name: 'Vérifiez votre messagerie' }).waitFor();

    const link = await latestLoginLink(stack, SENDER);
    await page.goto(link);
    await page.getByRole('heading', { name: SENDER }).waitFor();
    expect(page.url()).toBe(`${stack.httpUrl}/account.html`);
    expect(await page.locator('[data-stat="balance"]').textContent()).toContain('25,00');
    expect(await page.locator('[data-stat="free"]').textContent()).toContain('8');
    await page.getByRole('heading', { name: 'Mes demandes de signature' }).waitFor();
    // Each request is listed once, a completed one with its downloads.
    const ids = await page
      .locator('[data-envelope]')
      .evaluateAll((els) => els.map((el) => el.getAttribute('data-envelope')));
    expect(ids.length).toBeGreaterThan(0);
    expect(new Set(ids).size).toBe(ids.length);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page
        .locator('.account-envelopes')
        .getByRole('button', { name: /Télécharger/ })
        .first()
        .click(),
    ]);
    const bytes = await readFile((await download.path()) as string);
    expect(download.suggestedFilename()).toMatch(/^devis.*\.pdf$/);
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(bytes.toString('latin1')).toContain('/DocMDP');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('fits a 320 px phone, in English, with no WCAG 2.2 AA violation', async () => {
    const link = await requestLoginLink(stack, SENDER);
    const context = await browser.newContext({
      locale: 'en-GB',
      viewport: { width: 320, height: 640 },
      isMobile: true,
      hasTouch: true,
    });
    const page = await context.newPage();
    await page.goto(link);
    await page.getByRole('heading', { name: 'My signature requests' }).waitFor();
    await page.locator('.account-envelopes .btn').first().waitFor();
    await page.screenshot({ path: 'test-artifacts/account-320-en.png', fullPage: true });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    const widest = await page
      .locator('.account-envelopes .btn')
      .evaluateAll((els) => Math.max(...els.map((el) => el.getBoundingClientRect().right)));
    expect(widest).toBeLessThanOrEqual(320);
    await page.evaluate(AXE_SOURCE);
    const violations = await page.evaluate(async () => {
      const axe = (
        window as unknown as {
          axe: { run: (c: Document, o: unknown) => Promise<{ violations: Array<{ id: string }> }> };
        }
      ).axe;
      const result = await axe.run(document, {
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
      });
      return result.violations.map((v) => v.id);
    });
    expect(violations).toEqual([]);
    await context.close();
  });

  it('refuses the same login link a second time', async () => {
    const link = await latestLoginLink(stack, SENDER);
    const context = await browser.newContext({ locale: 'fr-FR' });
    const page = await context.newPage();
    await page.goto(link);
    await page.getByRole('heading', { name: 'Lien de connexion invalide' }).waitFor();
    await context.close();
  });
});
