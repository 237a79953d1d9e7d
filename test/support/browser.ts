// Headless Chromium for the end-to-end tests, driven by playwright-core. Skips loudly when the
// browser is missing, except under CI=true where a missing browser fails the run.
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

export function hasChromium(): boolean {
  if (existsSync(CHROMIUM_PATH)) return true;
  const message = `Chromium is missing at ${CHROMIUM_PATH}. Install it with: apt-get install -y chromium`;
  if (process.env.CI === 'true') throw new Error(message);
  console.warn(`\n!!! SKIPPING BROWSER TESTS — ${message}\n`);
  return false;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Draws a wave on the signature pad with the mouse, as a person would. */
export async function drawSignature(page: Page): Promise<void> {
  const pad = page.locator('.pad-canvas');
  await pad.scrollIntoViewIfNeeded();
  const box = await pad.boundingBox();
  if (!box) throw new Error('The signature pad is not visible');
  const y = box.y + box.height * 0.6;
  await page.mouse.move(box.x + box.width * 0.15, y);
  await page.mouse.down();
  for (let i = 1; i <= 30; i += 1) {
    const t = i / 30;
    await page.mouse.move(box.x + box.width * (0.15 + 0.7 * t), y - Math.sin(t * Math.PI * 3) * box.height * 0.25);
  }
  await page.mouse.up();
}

/** Draws the same wave with a finger: real touch events through the DevTools protocol. */
export async function drawSignatureByTouch(page: Page): Promise<void> {
  const pad = page.locator('.pad-canvas');
  await pad.scrollIntoViewIfNeeded();
  const box = await pad.boundingBox();
  if (!box) throw new Error('The signature pad is not visible');
  const cdp = await page.context().newCDPSession(page);
  const y = box.y + box.height * 0.6;
  const point = (t: number) => ({
    x: box.x + box.width * (0.15 + 0.7 * t),
    y: y - Math.sin(t * Math.PI * 3) * box.height * 0.25,
  });
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [point(0)] });
  for (let i = 1; i <= 30; i += 1)
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [point(i / 30)] });
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await cdp.detach();
}
