// The signing page on the devices signers use: 320x568 and 390x844 phones (touch), a 768x1024
// tablet (touch) and a 1366x900 desktop each sign a 40-page document and a 3-document envelope
// against canned API answers. Layout facts are asserted (no horizontal overflow, the controls of a
// placed box outside it with 44 px targets, the action bar on screen, names not broken mid-word,
// the step column beside the page in view on desktop), and axe-core checks every state in both
// languages at WCAG 2.2 AA. Screenshots go to test-artifacts/devices/.
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PDFDocument, rgb, StandardFonts } from 'pdf-lib';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWeb } from '../../web/build.ts';
import { drawSignature, drawSignatureByTouch, hasChromium, launchChromium } from '../support/browser.ts';
import type { SigningView } from '../../web/src/types.ts';
import { FakeSigningServer } from './support/fake-signing-server.ts';
import type { Scenario } from './support/fake-signing-server.ts';

const ARTIFACTS = path.resolve('test-artifacts/devices');
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const WCAG_22_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

type Device = { name: string; width: number; height: number; touch: boolean };
const DEVICES: Device[] = [
  { name: '320x568', width: 320, height: 568, touch: true },
  { name: '390x844', width: 390, height: 844, touch: true },
  { name: '768x1024', width: 768, height: 1024, touch: true },
  { name: '1366x900', width: 1366, height: 900, touch: false },
];

type Envelope = { name: string; documents: Array<{ id: string; name: string; pages: number; signOn: number }> };
const ENVELOPES: Envelope[] = [
  { name: 'long', documents: [{ id: 'long', name: 'contrat-cadre-2026.pdf', pages: 40, signOn: 40 }] },
  {
    name: 'three',
    documents: [
      { id: 'a', name: 'devis-2026-017.pdf', pages: 2, signOn: 2 },
      { id: 'b', name: 'conditions-generales.pdf', pages: 3, signOn: 1 },
      { id: 'c', name: 'mandat-sepa.pdf', pages: 1, signOn: 1 },
    ],
  },
];

async function makePdf(title: string, pages: number): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let n = 1; n <= pages; n += 1) {
    const page = doc.addPage([595, 842]);
    page.drawText(`${title} — page ${n}/${pages}`, { x: 56, y: 770, size: 20, font, color: rgb(0.1, 0.15, 0.3) });
    for (let i = 0; i < 12; i += 1) {
      page.drawText(`Article ${n}.${i + 1}. Les parties conviennent des conditions ci-dessous.`, {
        x: 56,
        y: 720 - i * 22,
        size: 11,
        font,
      });
    }
  }
  return doc.save();
}

function signingView(envelope: Envelope, over: Partial<SigningView['envelope']> = {}): SigningView {
  return {
    envelope: {
      id: 'env-devices',
      subject: 'Contrat-cadre de prestations informatiques 2026 – référence Ω-42',
      message: 'Bonjour,\n\nVoici les documents à signer.\n\nClaire',
      sender: {
        name: 'claire.dubois@atelier-dubois-renovation.fr',
        email: 'claire.dubois@atelier-dubois-renovation.fr',
      },
      status: 'signing',
      ...over,
    },
    documents: envelope.documents.map((d) => ({
      id: d.id,
      name: d.name,
      pageCount: d.pages,
      pages: Array.from({ length: d.pages }, () => ({ width: 595, height: 842 })),
      url: `/api/signing/documents/${d.id}`,
    })),
    signers: [
      { position: 1, name: 'jeanne.martin@client-exemple-lointain.fr', status: 'pending' },
      { position: 2, name: 'Marie-Christine de La Fontaine-Dupré', status: 'pending' },
    ],
    you: {
      position: 1,
      email: 'jeanne.martin@client-exemple-lointain.fr',
      status: 'pending',
      yourTurn: true,
      phoneVerified: false,
    },
  };
}

describe.runIf(hasChromium())('signing page on phones, tablets and desktops', () => {
  let browser: Browser;
  let server: FakeSigningServer;
  let outDir: string;
  const pdfs: Record<string, Uint8Array> = {};

  const scenario = (view: SigningView): Scenario => ({ token: 'abc', view, pdfs, goodCode: '123456' });

  beforeAll(async () => {
    outDir = await mkdtemp(path.join(tmpdir(), 'mailsign-devices-'));
    await buildWeb({ outDir, minify: true });
    await mkdir(ARTIFACTS, { recursive: true });
    for (const envelope of ENVELOPES) for (const d of envelope.documents) pdfs[d.id] = await makePdf(d.name, d.pages);
    server = new FakeSigningServer(outDir, scenario(signingView(ENVELOPES[0]!)));
    await server.start();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (outDir) await rm(outDir, { recursive: true, force: true });
  });

  async function open(
    device: Device,
    locale = 'fr-FR',
  ): Promise<{ ctx: BrowserContext; page: Page; errors: string[] }> {
    const ctx = await browser.newContext({
      viewport: { width: device.width, height: device.height },
      locale,
      deviceScaleFactor: device.touch ? 2 : 1,
      isMobile: device.touch && device.width < 700,
      hasTouch: device.touch,
    });
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    page.on('response', (r) => {
      if (r.status() === 404 && !r.url().includes('/api/') && !r.url().endsWith('config.json'))
        errors.push(`404: ${r.url()}`);
    });
    return { ctx, page, errors };
  }

  const shot = (page: Page, name: string, fullPage = false) =>
    page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage });

  async function press(page: Page, device: Device, selector: string): Promise<void> {
    const target = page.locator(selector);
    await (device.touch ? target.tap() : target.click());
  }

  async function overflowing(page: Page): Promise<string[]> {
    return page.evaluate(() => {
      const width = document.documentElement.clientWidth;
      if (document.documentElement.scrollWidth <= width) return [];
      return [...document.querySelectorAll('body *')]
        .filter((el) => el.getBoundingClientRect().right > width + 0.5)
        .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')}`)
        .slice(0, 10);
    });
  }

  /** Line breaks inside names and addresses that fall mid-word (not at a space, "-", "@" or "."). */
  async function namesBrokenMidWord(page: Page): Promise<string[]> {
    return page.evaluate(() => {
      const bad: string[] = [];
      for (const el of document.querySelectorAll('.signer-name, .request-sender')) {
        const chars: Array<{ ch: string; top: number }> = [];
        const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode() as Text | null; node; node = walker.nextNode() as Text | null) {
          for (let i = 0; i < node.data.length; i += 1) {
            const range = document.createRange();
            range.setStart(node, i);
            range.setEnd(node, i + 1);
            const rect = range.getClientRects()[0];
            if (rect) chars.push({ ch: node.data[i]!, top: Math.round(rect.top) });
          }
        }
        for (let i = 1; i < chars.length; i += 1) {
          const prev = chars[i - 1]!;
          const next = chars[i]!;
          if (next.top <= prev.top + 2) continue;
          if ([' ', '-', '@', '<', '('].includes(prev.ch) || ['.', ' ', '<'].includes(next.ch)) continue;
          bad.push(`${el.textContent} breaks between "${prev.ch}" and "${next.ch}"`);
        }
      }
      return bad;
    });
  }

  /** Each placed box's remove button and resize handle: 44 px, outside the box (corner overlap only). */
  async function controlsOutsideBoxes(page: Page): Promise<string[]> {
    return page.evaluate(() => {
      const problems: string[] = [];
      for (const box of document.querySelectorAll<HTMLElement>('.sig-box')) {
        const b = box.getBoundingClientRect();
        for (const selector of ['.sig-box-remove', '.sig-box-handle']) {
          const c = box.querySelector(selector)?.getBoundingClientRect();
          if (!c) {
            problems.push(`${selector} missing`);
            continue;
          }
          if (c.width < 44 || c.height < 44) problems.push(`${selector} is ${c.width}x${c.height}`);
          const overlapW = Math.max(0, Math.min(b.right, c.right) - Math.max(b.left, c.left));
          const overlapH = Math.max(0, Math.min(b.bottom, c.bottom) - Math.max(b.top, c.top));
          if (overlapW > 8 || overlapH > 8) problems.push(`${selector} covers ${overlapW}x${overlapH} px of the box`);
        }
      }
      return problems;
    });
  }

  async function actionBarOnScreen(page: Page): Promise<boolean> {
    return page.evaluate(() => {
      const bar = document.querySelector('.action-bar');
      if (!bar) return false;
      const r = bar.getBoundingClientRect();
      return (
        getComputedStyle(bar).display !== 'none' && r.top >= 0 && r.bottom <= window.innerHeight + 0.5 && r.height > 0
      );
    });
  }

  async function axeViolations(page: Page): Promise<string[]> {
    // Evaluated through DevTools, so the page's CSP (no inline scripts) does not apply to it.
    await page.evaluate(AXE_SOURCE);
    return page.evaluate(async (tags) => {
      const axe = (
        window as unknown as {
          axe: {
            run: (
              c: Document,
              o: unknown,
            ) => Promise<{ violations: Array<{ id: string; nodes: Array<{ target: string[] }> }> }>;
          };
        }
      ).axe;
      const result = await axe.run(document, { runOnly: { type: 'tag', values: tags } });
      return result.violations.map(
        (v) =>
          `${v.id}: ${v.nodes
            .map((n) => n.target.join(' '))
            .slice(0, 3)
            .join(', ')}`,
      );
    }, WCAG_22_AA);
  }

  async function waitForDocuments(page: Page, count: number): Promise<void> {
    await page.locator('.request-subject').waitFor();
    await expect.poll(() => page.locator('.document[data-loaded="true"]').count(), { timeout: 30_000 }).toBe(count);
  }

  async function goToPage(page: Page, doc: { id: string; name: string; pages: number }, n: number): Promise<void> {
    const select = page.locator('.page-nav-select');
    if (await select.isVisible()) {
      await select.selectOption({ label: `p. ${n}/${doc.pages} · ${doc.name}` });
    } else {
      await page.locator(`#doc-${doc.id} .page-surface[data-page="${n}"]`).scrollIntoViewIfNeeded();
    }
    await page
      .locator(`#doc-${doc.id} .page-surface[data-page="${n}"][data-rendered="true"]`)
      .waitFor({ timeout: 20_000 });
  }

  for (const envelope of ENVELOPES) {
    for (const device of DEVICES) {
      it(`signs the ${envelope.name} envelope at ${device.name}${device.touch ? ' with touch' : ''}`, async () => {
        server.use(scenario(signingView(envelope)));
        const { ctx, page, errors } = await open(device);
        const prefix = `${envelope.name}-${device.name}`;
        const narrow = device.width <= 900;
        await page.goto(`${server.baseUrl}/sign.html#t=abc`);
        await waitForDocuments(page, envelope.documents.length);
        const first = envelope.documents[0]!;
        await page.locator(`#doc-${first.id} .page-surface[data-page="1"]`).scrollIntoViewIfNeeded();
        await page.locator(`#doc-${first.id} .page-surface[data-rendered="true"]`).first().waitFor({ timeout: 20_000 });
        await page.evaluate(() => window.scrollTo(0, 0));
        await shot(page, `${prefix}-1-opened`);
        expect(await overflowing(page)).toEqual([]);
        expect(await namesBrokenMidWord(page)).toEqual([]);
        expect(await actionBarOnScreen(page)).toBe(narrow);

        await (device.touch ? drawSignatureByTouch(page) : drawSignature(page));
        await expect.poll(() => page.locator('.action-bar').getAttribute('data-step')).toBe('place');

        for (const doc of envelope.documents) {
          await goToPage(page, doc, doc.signOn);
          if (narrow) {
            expect(await actionBarOnScreen(page)).toBe(true);
            await press(page, device, '.action-place');
          } else {
            const overlay = page.locator(`#doc-${doc.id} .page-surface[data-page="${doc.signOn}"] .page-overlay`);
            const area = await overlay.boundingBox();
            if (!area) throw new Error('the page is not on screen');
            await overlay.click({ position: { x: area.width * 0.6, y: area.height * 0.8 } });
            // Desktop: the step column followed the scroll and stays beside the page in view.
            const steps = await page.locator('.steps').boundingBox();
            expect(steps && steps.y >= 0 && steps.y < device.height).toBe(true);
          }
          await expect
            .poll(() => page.locator(`#doc-${doc.id} .page-surface[data-page="${doc.signOn}"] .sig-box`).count())
            .toBe(1);
        }
        await shot(page, `${prefix}-2-placed`);
        expect(await controlsOutsideBoxes(page)).toEqual([]);
        expect(await overflowing(page)).toEqual([]);
        await expect.poll(() => page.locator('.action-bar').getAttribute('data-step')).toBe('phone');

        if (narrow) await press(page, device, '.action-next');
        await page.getByLabel('Numéro de téléphone mobile').fill('06 12 34 56 78');
        await page.getByRole('button', { name: 'Recevoir le code' }).click();
        await page.getByLabel('Code à 6 chiffres reçu par SMS').fill('123456');
        await page.getByRole('button', { name: 'Valider le code' }).click();
        await expect.poll(() => page.locator('.action-bar').getAttribute('data-step')).toBe('finish');

        if (narrow) {
          // "Sign" in the bar brings the consent into view and focus: the signer never scrolls.
          await press(page, device, '.action-next');
          await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('type'))).toBe('checkbox');
        }
        await page.getByLabel('J’ai lu les documents et j’accepte de les signer électroniquement.').check();
        await shot(page, `${prefix}-3-ready`);
        await page.getByRole('button', { name: 'Signer les documents' }).click();
        await page.getByRole('heading', { name: 'C’est signé !' }).waitFor();
        await shot(page, `${prefix}-4-signed`);
        expect(await overflowing(page)).toEqual([]);

        const sent = server.requests.find((r) => r.path === '/api/signing/signature')?.body as {
          placements: Array<{ documentId: string; page: number }>;
        };
        expect(sent.placements.map((p) => [p.documentId, p.page])).toEqual(
          envelope.documents.map((d) => [d.id, d.signOn]),
        );
        expect(errors).toEqual([]);
        await ctx.close();
      });
    }
  }

  it('signs with the keyboard alone: typed signature, placement by keys, visible focus all along', async () => {
    const envelope = ENVELOPES[1]!;
    server.use(scenario(signingView(envelope)));
    const { ctx, page, errors } = await open(DEVICES[3]!);
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await page.goto(`${server.baseUrl}/sign.html#t=abc`);
    await waitForDocuments(page, envelope.documents.length);
    const invisibleFocus: string[] = [];

    /** Presses Tab until the focused element matches, checking each stop shows where focus is. */
    const tabTo = async (selector: string): Promise<void> => {
      for (let i = 0; i < 120; i += 1) {
        await page.keyboard.press('Tab');
        const state = await page.evaluate((sel) => {
          const el = document.activeElement as HTMLElement | null;
          if (!el || el === document.body) return { match: false, visible: true, name: 'body' };
          const style = getComputedStyle(el);
          const visible =
            (style.outlineStyle !== 'none' && Number.parseFloat(style.outlineWidth) >= 2) || style.boxShadow !== 'none';
          return { match: el.matches(sel), visible, name: `${el.tagName.toLowerCase()}.${el.className}` };
        }, selector);
        if (!state.visible) invisibleFocus.push(state.name);
        if (state.match) return;
      }
      throw new Error(`Tab never reached ${selector}`);
    };

    // Typed signature: the tabs follow the ARIA pattern (arrow keys), the name goes in the field.
    await tabTo('[role="tab"][aria-selected="true"]');
    await page.keyboard.press('ArrowRight');
    await tabTo('#sig-typed');
    await page.keyboard.type('Jeanne Martin');
    await expect.poll(() => page.locator('.action-bar').getAttribute('data-step')).toBe('place');

    // Placement: "Place on this page" by Enter puts a focused box, arrows move it, Shift+arrows resize.
    for (const doc of envelope.documents) {
      await tabTo(`#doc-${doc.id} .place-here`);
      await page.keyboard.press('Enter');
      const box = page.locator(`#doc-${doc.id} .sig-box`);
      await expect.poll(() => box.evaluate((el) => el === document.activeElement)).toBe(true);
      expect(await box.getAttribute('aria-label')).toContain(doc.name);
      const before = (await box.boundingBox())!;
      await page.keyboard.press('ArrowUp');
      await expect.poll(async () => (await box.boundingBox())!.y).toBeLessThan(before.y);
      const moved = (await box.boundingBox())!;
      await page.keyboard.press('Shift+ArrowRight');
      await expect.poll(async () => (await box.boundingBox())!.width).toBeGreaterThan(moved.width);
    }

    await tabTo('input[type="tel"]');
    await page.keyboard.type('0612345678');
    await page.keyboard.press('Enter');
    await page.locator('input[inputmode="numeric"]').waitFor();
    await tabTo('input[inputmode="numeric"]');
    await page.keyboard.type('123456');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.action-bar').getAttribute('data-step')).toBe('finish');
    await tabTo('.step-finish input[type="checkbox"]');
    await page.keyboard.press('Space');
    await tabTo('.step-finish .btn-primary');
    await shot(page, 'keyboard-ready');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'C’est signé !' }).waitFor();
    await shot(page, 'keyboard-signed');

    expect(invisibleFocus).toEqual([]);
    const sent = server.requests.find((r) => r.path === '/api/signing/signature')?.body as {
      placements: Array<{ documentId: string }>;
    };
    expect(sent.placements.map((p) => p.documentId)).toEqual(envelope.documents.map((d) => d.id));
    expect(errors).toEqual([]);
    await ctx.close();
  });

  for (const locale of ['fr-FR', 'en-GB']) {
    it(`has no WCAG 2.2 AA violation in any state (${locale})`, async () => {
      const phone = DEVICES[1]!;
      const envelope = ENVELOPES[1]!;
      const found: Record<string, string[]> = {};
      const check = async (page: Page, state: string) => {
        found[state] = await axeViolations(page);
        await shot(page, `axe-${locale}-${state}`);
      };

      server.use(scenario(signingView(envelope)));
      let { ctx, page } = await open(phone, locale);
      await page.goto(`${server.baseUrl}/sign.html#t=abc`);
      await waitForDocuments(page, envelope.documents.length);
      await check(page, 'landing');
      await drawSignatureByTouch(page);
      await check(page, 'drawing');
      for (const doc of envelope.documents) {
        await goToPage(page, doc, doc.signOn);
        await page.locator('.action-place').tap();
      }
      await check(page, 'placed');
      await page.locator('.step-phone input[type="tel"]').fill('06 12 34 56 78');
      await page.locator('.step-phone button[type="submit"]').first().click();
      await page.locator('.step-phone input[inputmode="numeric"]').waitFor();
      await check(page, 'phone-step');
      await page.locator('.step-phone input[inputmode="numeric"]').fill('123456');
      await page.locator('.step-phone form:not([hidden]) button[type="submit"]').click();
      await expect.poll(() => page.locator('.action-bar').getAttribute('data-step')).toBe('finish');
      await page.locator('.step-finish input[type="checkbox"]').check();
      await page.locator('.step-finish .btn-primary').click();
      await page.locator('.state-title').waitFor();
      await check(page, 'signed');
      await ctx.close();

      for (const [state, status] of [
        ['declined', 'declined'],
        ['expired', 'expired'],
      ] as const) {
        const view = signingView(envelope, { status });
        if (status === 'declined') view.signers[1]!.status = 'declined';
        server.use(scenario(view));
        ({ ctx, page } = await open(phone, locale));
        await page.goto(`${server.baseUrl}/sign.html#t=abc`);
        await page.locator('.state-title').waitFor();
        await check(page, state);
        await ctx.close();
      }

      ({ ctx, page } = await open(phone, locale));
      await page.goto(`${server.baseUrl}/account.html`);
      await page.locator('main h1, main h2').first().waitFor();
      await check(page, 'account-login');
      await ctx.close();

      expect(found).toEqual({
        landing: [],
        drawing: [],
        placed: [],
        'phone-step': [],
        signed: [],
        declined: [],
        expired: [],
        'account-login': [],
      });
    });
  }
});
