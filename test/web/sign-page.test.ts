// The signing page in headless Chromium against canned API answers: token handling, document
// rendering (with a rotated page), drawing, placement, phone code, consent, submit, the state
// screens and the phone-size layout. Screenshots go to test-artifacts/web/.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { degrees, PDFDocument, rgb, StandardFonts } from 'pdf-lib';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWeb } from '../../web/build.ts';
import { drawSignature } from '../support/browser.ts';
import type { Placement, SigningView } from '../../web/src/types.ts';
import { FakeSigningServer } from './support/fake-signing-server.ts';
import type { Scenario } from './support/fake-signing-server.ts';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
const inCi = process.env.CI === 'true';
const ARTIFACTS = path.resolve('test-artifacts/web');

if (!hasChromium && !inCi) {
  console.warn(
    `\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n` +
      `!! SKIPPING the signing page browser tests: ${CHROMIUM} is missing.\n` +
      `!! Install it with: apt-get install -y chromium\n` +
      `!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n`,
  );
}

async function makePdf(title: string): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const p1 = doc.addPage([595, 842]);
  p1.drawText(title, { x: 56, y: 770, size: 22, font: bold, color: rgb(0.1, 0.15, 0.3) });
  for (let i = 0; i < 18; i++) {
    p1.drawText(`Article ${i + 1}. Les parties conviennent des conditions décrites ci-dessous.`, {
      x: 56,
      y: 720 - i * 22,
      size: 11,
      font,
    });
  }
  p1.drawText('Signature du client :', { x: 330, y: 150, size: 11, font: bold });
  const p2 = doc.addPage([595, 842]);
  p2.setRotation(degrees(90));
  p2.drawText('Annexe (page tournée de 90°)', { x: 56, y: 770, size: 18, font: bold });
  return doc.save();
}

function signingView(over: Partial<SigningView['you']> = {}): SigningView {
  return {
    envelope: {
      id: 'env-1',
      subject: 'Devis n° 2025-042 – rénovation de la cuisine',
      message:
        'Bonjour,\n\nVoici le devis et les conditions générales. Merci de les ' +
        'signer avant vendredi.\n\nCordialement,\nClaire',
      sender: { name: 'Claire Dubois', email: 'claire@atelier-dubois.fr' },
      status: 'signing',
    },
    documents: [
      {
        id: 'd1',
        name: 'devis-2025-042.pdf',
        pageCount: 2,
        pages: [
          { width: 595, height: 842 },
          { width: 842, height: 595 },
        ],
        url: '/api/signing/documents/d1',
      },
      {
        id: 'd2',
        name: 'conditions-generales.pdf',
        pageCount: 2,
        pages: [
          { width: 595, height: 842 },
          { width: 842, height: 595 },
        ],
        url: '/api/signing/documents/d2',
      },
    ],
    signers: [
      { position: 1, name: 'Jean Martin', status: 'pending' },
      { position: 2, name: 'Sophie Bernard', status: 'pending' },
    ],
    you: {
      position: 1,
      email: 'jean.martin@example.fr',
      status: 'pending',
      yourTurn: true,
      phoneVerified: false,
      ...over,
    },
  };
}

describe.skipIf(!hasChromium && !inCi)('signing page in Chromium', () => {
  let browser: Browser;
  let server: FakeSigningServer;
  let outDir: string;
  let pdfs: Record<string, Uint8Array>;

  const scenario = (view: SigningView): Scenario => ({ token: 'abc', view, pdfs, goodCode: '123456' });

  beforeAll(async () => {
    if (!hasChromium) throw new Error(`CI=true and ${CHROMIUM} is missing: the browser tests cannot run`);
    outDir = await mkdtemp(path.join(tmpdir(), 'mailsign-web-'));
    // Minified, as shipped.
    await buildWeb({ outDir, minify: true });
    await mkdir(ARTIFACTS, { recursive: true });
    pdfs = { d1: await makePdf('Devis n° 2025-042'), d2: await makePdf('Conditions générales de vente') };
    server = new FakeSigningServer(outDir, scenario(signingView()));
    await server.start();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (outDir) await rm(outDir, { recursive: true, force: true });
  });

  /** Opens a page and fails the test on any script error, CSP violation or request to another host. */
  async function open(opts: {
    width: number;
    height: number;
    locale?: string;
    mobile?: boolean;
  }): Promise<{ ctx: BrowserContext; page: Page; errors: string[] }> {
    const ctx = await browser.newContext({
      viewport: { width: opts.width, height: opts.height },
      locale: opts.locale ?? 'fr-FR',
      deviceScaleFactor: opts.mobile ? 2 : 1,
      isMobile: opts.mobile ?? false,
      hasTouch: opts.mobile ?? false,
    });
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    page.on('console', (msg) => {
      const text = msg.text();
      // Expected: the optional config.json is absent, and the canned API answers 4xx on purpose.
      if (msg.type() === 'error' && !/Failed to load resource/.test(text)) errors.push(`console: ${text}`);
    });
    page.on('request', (req) => {
      if (!req.url().startsWith(server.baseUrl) && !req.url().startsWith('data:') && !req.url().startsWith('blob:')) {
        errors.push(`external request: ${req.url()}`);
      }
    });
    return { ctx, page, errors };
  }

  async function shot(page: Page, name: string, fullPage = true): Promise<void> {
    await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage });
  }

  async function waitForFirstPages(page: Page): Promise<void> {
    // Pages paint lazily near the viewport: bring each first page into view.
    for (const id of ['d1', 'd2']) {
      const surface = page.locator(`#doc-${id} .page-surface[data-page="1"]`);
      await surface.waitFor({ timeout: 20_000 });
      await surface.scrollIntoViewIfNeeded();
      await page.locator(`#doc-${id} .page-surface[data-page="1"][data-rendered="true"]`).waitFor({ timeout: 20_000 });
    }
    await page.evaluate(() => window.scrollTo(0, 0));
  }

  /** Elements sticking out to the right of the viewport (empty when nothing overflows). */
  async function overflowing(page: Page): Promise<string[]> {
    return page.evaluate(() => {
      const width = document.documentElement.clientWidth;
      if (document.documentElement.scrollWidth <= width) return [];
      return [...document.querySelectorAll('body *')]
        .filter((el) => el.getBoundingClientRect().right > width + 0.5)
        .map(
          (el) =>
            `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} ` +
            `right=${Math.round(el.getBoundingClientRect().right)}`,
        )
        .slice(0, 10);
    });
  }

  it('signs: token, documents, draw, place, phone code, consent, submit', async () => {
    server.use(scenario(signingView()));
    const { ctx, page, errors } = await open({ width: 1280, height: 900 });
    await page.goto(`${server.baseUrl}/sign.html#t=abc`);
    await page.locator('.request-subject').waitFor();

    // The token left the address bar, survives a reload through sessionStorage, and went as Bearer.
    expect(page.url()).toBe(`${server.baseUrl}/sign.html`);
    expect(await page.evaluate(() => sessionStorage.getItem('mailsign.signing.token'))).toBe('abc');
    const first = server.requests.find((r) => r.path === '/api/signing');
    expect(first?.authorization).toBe('Bearer abc');
    expect(await page.locator('html').getAttribute('lang')).toBe('fr');

    await waitForFirstPages(page);
    expect(
      server.requests
        .filter((r) => r.path.startsWith('/api/signing/documents/'))
        .every((r) => r.authorization === 'Bearer abc'),
    ).toBe(true);
    await expect(page.locator('.request-message').textContent()).resolves.toContain('Merci de les signer');
    expect(await page.locator('.signer-list li').count()).toBe(2);
    await shot(page, '01-desktop-loaded');

    // The rotated page is displayed landscape, and pdf.js paints it that way.
    const rotated = page.locator('#doc-d1 .page-surface[data-page="2"]');
    await rotated.scrollIntoViewIfNeeded();
    await page.locator('#doc-d1 .page-surface[data-page="2"][data-rendered="true"]').waitFor({ timeout: 20_000 });
    const rbox = await rotated.boundingBox();
    expect(rbox && rbox.width > rbox.height).toBe(true);
    const canvasSize = await rotated.locator('canvas').evaluate((c: HTMLCanvasElement) => [c.width, c.height]);
    expect((canvasSize[0] ?? 0) > (canvasSize[1] ?? 0)).toBe(true);

    await drawSignature(page);
    await shot(page, '02-desktop-drawn', false);

    // Click page 1 of each document to place the signature there.
    for (const id of ['d1', 'd2']) {
      const overlay = page.locator(`#doc-${id} .page-surface[data-page="1"] .page-overlay`);
      await overlay.scrollIntoViewIfNeeded();
      const ob = await overlay.boundingBox();
      if (!ob) throw new Error('no overlay');
      await overlay.click({ position: { x: ob.width * 0.7, y: ob.height * 0.82 } });
      await expect.poll(() => page.locator(`#doc-${id} .sig-box`).count()).toBe(1);
    }
    expect(await page.locator('.sig-box img').first().getAttribute('src')).toMatch(/^data:image\/png;base64,/);

    // Keyboard: shift+right grows the focused box, right moves it.
    const box1 = page.locator('#doc-d1 .sig-box');
    const before = await box1.boundingBox();
    await box1.focus();
    await page.keyboard.press('Shift+ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    const after = await box1.boundingBox();
    expect(after && before && after.width < before.width).toBe(true);
    expect(after && before && after.x < before.x).toBe(true);

    // Mouse: drag the box, then pull its handle.
    const b0 = await box1.boundingBox();
    if (!b0) throw new Error('no box');
    await page.mouse.move(b0.x + b0.width / 2, b0.y + b0.height / 2);
    await page.mouse.down();
    await page.mouse.move(b0.x + b0.width / 2 - 60, b0.y + b0.height / 2 - 40, { steps: 5 });
    await page.mouse.up();
    const b1 = await box1.boundingBox();
    expect(b1 && Math.round(b0.x - b1.x)).toBe(60);
    expect(b1 && Math.round(b0.y - b1.y)).toBe(40);
    const handle = await box1.locator('.sig-box-handle').boundingBox();
    if (!handle || !b1) throw new Error('no handle');
    await page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2);
    await page.mouse.down();
    await page.mouse.move(handle.x + handle.width / 2 + 50, handle.y + handle.height / 2, { steps: 5 });
    await page.mouse.up();
    const b2 = await box1.boundingBox();
    expect(b2 && Math.round(b2.width - b1.width)).toBe(50);
    expect(b2 && b2.width / b2.height).toBeCloseTo(b1.width / b1.height, 1);
    await page.locator('#doc-d1 .page-surface[data-page="1"]').scrollIntoViewIfNeeded();
    await shot(page, '03-desktop-placed', false);

    // Submitting too early lists what is missing.
    await page.getByRole('button', { name: 'Signer les documents' }).click();
    await expect.poll(() => page.locator('.missing').textContent()).toContain('confirmez votre numéro');

    // Phone: a wrong code first, then the right one.
    await page.getByLabel('Numéro de téléphone mobile').fill('06 12 34 56 78');
    await page.getByRole('button', { name: 'Recevoir le code' }).click();
    const code = page.getByLabel('Code à 6 chiffres reçu par SMS');
    await code.waitFor();
    await expect(page.locator('.phone-step button.btn-link').first().textContent()).resolves.toMatch(/\(\d+ s\)/);
    await code.fill('000000');
    await page.getByRole('button', { name: 'Valider le code' }).click();
    await expect
      .poll(() => page.locator('.phone-step .field-message').textContent())
      .toBe('Code incorrect. Il vous reste 4 essais.');
    await shot(page, '04-desktop-wrong-code', false);
    await code.fill('123456');
    await page.getByRole('button', { name: 'Valider le code' }).click();
    await page.getByText('Téléphone confirmé.').waitFor();

    await page.getByLabel('J’ai lu les documents et j’accepte de les signer électroniquement.').check();
    await shot(page, '05-desktop-ready', false);
    await page.getByRole('button', { name: 'Signer les documents' }).click();
    await page.getByRole('heading', { name: 'C’est signé !' }).waitFor();
    await shot(page, '06-desktop-signed');

    const submitted = server.requests.find((r) => r.path === '/api/signing/signature');
    expect(submitted?.authorization).toBe('Bearer abc');
    const body = submitted?.body as { image: string; placements: Placement[]; consent: boolean };
    expect(body.consent).toBe(true);
    const png = Buffer.from(body.image.replace(/^data:image\/png;base64,/, ''), 'base64');
    expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect(body.placements.map((p) => [p.documentId, p.page])).toEqual([
      ['d1', 1],
      ['d2', 1],
    ]);
    for (const p of body.placements) {
      expect(p.x).toBeGreaterThanOrEqual(0);
      expect(p.y).toBeGreaterThanOrEqual(0);
      expect(p.x + p.width).toBeLessThanOrEqual(1);
      expect(p.y + p.height).toBeLessThanOrEqual(1);
      expect(p.width).toBeGreaterThan(0.1);
      expect(p.width).toBeLessThan(0.5);
    }
    // Placed where clicked: centered near 70% / 82% of the page (d2 untouched by the keyboard).
    const d2 = body.placements[1];
    expect(d2 && d2.x + d2.width / 2).toBeCloseTo(0.7, 1);
    expect(d2 && d2.y + d2.height / 2).toBeCloseTo(0.82, 1);

    // A reload still finds the token (sessionStorage) and shows the already-signed state.
    await page.reload();
    await page.getByRole('heading', { name: 'Vous avez déjà signé' }).waitFor();
    expect(errors).toEqual([]);
    await ctx.close();
  });

  it('shows who is signing now when it is not your turn (English browser)', async () => {
    const view = signingView({ position: 2, email: 'sophie@example.fr', yourTurn: false });
    server.use(scenario(view));
    const { ctx, page, errors } = await open({ width: 1280, height: 900, locale: 'en-US' });
    await page.goto(`${server.baseUrl}/sign.html#t=abc`);
    await page.getByRole('heading', { name: 'It is not your turn yet' }).waitFor();
    await expect(page.locator('.state-body').textContent()).resolves.toContain('Jean Martin must sign before you');
    await waitForFirstPages(page);
    await expect(page.locator('.sig-box, .place-here').count()).resolves.toBe(0);
    await shot(page, '07-not-your-turn-en');
    // Zoom follows the column width: a narrower window repaints the page at the new width.
    await page.evaluate(() => window.scrollTo(0, 0));
    const canvasWidth = () =>
      page.locator('#doc-d1 .page-surface[data-page="1"] canvas').evaluate((c: HTMLCanvasElement) => c.width);
    const wide = await canvasWidth();
    await page.setViewportSize({ width: 700, height: 900 });
    await expect.poll(canvasWidth, { timeout: 10_000 }).toBeLessThan(wide);
    const surfaceWidth = await page.locator('#doc-d1 .page-surface[data-page="1"]').evaluate((e) => e.clientWidth);
    expect(Math.abs((await canvasWidth()) - surfaceWidth)).toBeLessThanOrEqual(2);
    // The toggle switches to French in place.
    await page.getByRole('button', { name: 'Passer en français' }).click();
    await page.getByRole('heading', { name: 'Ce n’est pas encore votre tour' }).waitFor();
    expect(errors).toEqual([]);
    await ctx.close();
  });

  it('declines with a reason and shows the declined state', async () => {
    server.use(scenario(signingView()));
    const { ctx, page, errors } = await open({ width: 1280, height: 900 });
    await page.goto(`${server.baseUrl}/sign.html#t=abc`);
    // The typed-name alternative produces a preview image.
    await page.getByRole('tab', { name: 'Saisir' }).click();
    await page.getByLabel('Votre nom tel qu’il doit apparaître').fill('Jean Martin');
    expect(await page.locator('.typed-preview').getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    // The bundled handwriting font is served from our origin and used for the preview.
    await expect
      .poll(() => page.evaluate(() => document.fonts.check('96px "Dancing Script"', 'Jean Martin')))
      .toBe(true);
    await shot(page, '08a-typed-signature', false);

    // A throttled code request says so and counts down on the resend button.
    await page.getByLabel('Numéro de téléphone mobile').fill('06 12 34 56 99');
    await page.getByRole('button', { name: 'Recevoir le code' }).click();
    await expect.poll(() => page.locator('.phone-step .field-message').textContent()).toContain('Patientez');
    await expect.poll(() => page.locator('.phone-step button.btn-link').first().textContent()).toMatch(/\(2\d s\)/);
    expect(await page.locator('.phone-step button.btn-link').first().isDisabled()).toBe(true);

    await page.getByRole('button', { name: 'Refuser de signer' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Confirmer le refus' }).click();
    await expect.poll(() => dialog.locator('.field-message').textContent()).toBe('Indiquez un motif.');
    await dialog.getByLabel('Motif du refus').fill('Le montant ne correspond pas à notre accord.');
    await shot(page, '08-decline-dialog', false);
    await dialog.getByRole('button', { name: 'Confirmer le refus' }).click();
    await page.getByRole('heading', { name: 'Signature refusée' }).waitFor();
    expect(server.requests.find((r) => r.path === '/api/signing/decline')?.body).toEqual({
      reason: 'Le montant ne correspond pas à notre accord.',
    });
    await expect(page.locator('.state-body').textContent()).resolves.toContain('Vous avez refusé');
    await shot(page, '09-declined');
    expect(errors).toEqual([]);
    await ctx.close();
  });

  it('renders the landing page and the customer area login, on desktop and phone', async () => {
    for (const [w, hgt, suffix] of [
      [1280, 800, 'desktop'],
      [375, 740, 'phone'],
    ] as const) {
      const { ctx, page, errors } = await open({ width: w, height: hgt, mobile: suffix === 'phone' });
      await page.goto(`${server.baseUrl}/index.html`);
      await page.getByRole('heading', { name: 'Faites signer vos PDF par simple e-mail' }).waitFor();
      expect(await overflowing(page)).toEqual([]);
      await shot(page, `15-landing-${suffix}`);
      await page.goto(`${server.baseUrl}/account.html`);
      await page.getByRole('heading', { name: 'Accéder à mon espace client' }).waitFor();
      await page.goto('about:blank');
      await page.goto(`${server.baseUrl}/account.html#t=login-token`);
      await page.getByRole('heading', { name: 'Lien de connexion invalide' }).waitFor();
      expect(page.url()).toBe(`${server.baseUrl}/account.html`);
      expect(await overflowing(page)).toEqual([]);
      await shot(page, `16-account-${suffix}`);
      expect(errors).toEqual([]);
      await ctx.close();
    }
  });

  it('shows an invalid link without a token', async () => {
    server.use(scenario(signingView()));
    const { ctx, page } = await open({ width: 1280, height: 900 });
    await page.goto(`${server.baseUrl}/sign.html`);
    await page.getByRole('heading', { name: 'Lien invalide' }).waitFor();
    await shot(page, '10-invalid-link');
    await ctx.close();
  });

  it('fits a 375 px phone with no horizontal overflow, and signs with a finger-size layout', async () => {
    server.use(scenario(signingView({ phoneVerified: true })));
    const { ctx, page, errors } = await open({ width: 375, height: 740, mobile: true });
    await page.goto(`${server.baseUrl}/sign.html#t=abc`);
    await waitForFirstPages(page);
    expect(await overflowing(page)).toEqual([]);
    await shot(page, '11-phone-loaded', false);
    // The phone step is skipped for an already verified phone.
    await expect(page.locator('.step-phone').isHidden()).resolves.toBe(true);
    await drawSignature(page);
    for (const id of ['d1', 'd2']) {
      const overlay = page.locator(`#doc-${id} .page-surface[data-page="1"] .page-overlay`);
      await overlay.scrollIntoViewIfNeeded();
      const ob = await overlay.boundingBox();
      if (!ob) throw new Error('no overlay');
      await overlay.tap({ position: { x: ob.width * 0.5, y: ob.height * 0.8 } });
    }
    await expect(page.locator('.sig-box').count()).resolves.toBe(2);
    await page.locator('#doc-d2 .sig-box').scrollIntoViewIfNeeded();
    await shot(page, '12-phone-placed', false);
    await page.getByLabel('J’ai lu les documents et j’accepte de les signer électroniquement.').check();
    expect(await overflowing(page)).toEqual([]);
    await shot(page, '13-phone-full');
    await page.getByRole('button', { name: 'Signer les documents' }).click();
    await page.getByRole('heading', { name: 'C’est signé !' }).waitFor();
    await shot(page, '14-phone-signed', false);
    expect(errors).toEqual([]);
    await ctx.close();
  });
});
