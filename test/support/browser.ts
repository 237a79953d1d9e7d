// Headless Chromium for the end-to-end tests, driven by playwright-core. Skips loudly when the
// browser is missing, except under CI=true where a missing browser fails the run.
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

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
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
