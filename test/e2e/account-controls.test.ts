// The customer area's "Relancer / Remind" and "Annuler / Cancel" in headless Chromium against the
// local stack: the reminder reaches the signer's outbox, a second one within 24 h is refused with
// the time it becomes possible, and cancelling asks for a confirmation first.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWeb } from '../../web/build.ts';
import { hasChromium, launchChromium } from '../support/browser.ts';
import {
  readOutboxMail,
  sendSmtp,
  startTestStack,
  type TestStack,
  requestLoginLink,
} from '../support/local-stack-fixture.ts';
import { makePdf } from '../support/mail-fixtures.ts';

const SENDER = 'claire@agence-dubois.fr';
const enabled = hasChromium();
let stack: TestStack;
let browser: Browser;
let webRoot: string;

async function openArea(): Promise<Page> {
  const link = await requestLoginLink(stack, SENDER);
  const context = await browser.newContext({ locale: 'fr-FR' });
  const page = await context.newPage();
  await page.goto(link);
  await page.getByRole('heading', { name: SENDER }).waitFor();
  return page;
}

beforeAll(async () => {
  if (!enabled) return;
  webRoot = await mkdtemp(join(tmpdir(), 'mailsign-web-'));
  await buildWeb({ outDir: webRoot });
  stack = await startTestStack({ webRoot, jobsIntervalMs: 0 });
  browser = await launchChromium();
  await sendSmtp(stack, {
    from: `Claire Dubois <${SENDER}>`,
    to: ['Jeanne Martin <jeanne@client.fr>', 'paul@client.fr'],
    subject: '*SIGN Devis cuisine',
    text: 'Bonjour, merci de signer le devis.',
    attachments: [{ filename: 'devis.pdf', content: await makePdf({ pages: 1 }), contentType: 'application/pdf' }],
  });
  await stack.idle();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stack?.cleanup();
  if (webRoot) await rm(webRoot, { recursive: true, force: true });
});

describe.skipIf(!enabled)('customer area controls in Chromium', () => {
  it('shows the expiry date, reminds once, and says when the next reminder is possible', async () => {
    const page = await openArea();
    const item = page.locator('.account-envelope').first();
    expect(await item.locator('[data-fact="expires"]').textContent()).toMatch(/^Expire le /);
    const before = (await readOutboxMail(stack)).length;
    await item.getByRole('button', { name: 'Relancer' }).click();
    await item.getByText('Rappel envoyé au signataire').waitFor();
    const sent = (await readOutboxMail(stack)).slice(before);
    expect(sent.map((m) => m.deliveredTo[0])).toEqual(['jeanne@client.fr']);
    await item.getByRole('button', { name: 'Relancer' }).click();
    await item.getByText(/Prochain rappel possible le/).waitFor();
    await page.context().close();
  });

  it('cancels only after the confirmation, then shows the request as cancelled', async () => {
    const page = await openArea();
    const item = page.locator('.account-envelope').first();
    const before = (await readOutboxMail(stack)).length;
    await item.getByRole('button', { name: 'Annuler' }).click();
    await item.getByRole('button', { name: 'Non, la garder' }).click();
    expect([(await readOutboxMail(stack)).length, await item.locator('.badge').first().textContent()]).toEqual([
      before,
      'En cours',
    ]);
    await item.getByRole('button', { name: 'Annuler' }).click();
    await item.getByRole('button', { name: 'Oui, annuler la demande' }).click();
    await item.getByText('Demande annulée. Les signataires sont prévenus.').waitFor();
    expect(await item.locator('.badge').first().textContent()).toBe('Annulée');
    await stack.idle();
    const sent = (await readOutboxMail(stack)).slice(before);
    expect(sent.map((m) => m.deliveredTo[0]).sort()).toEqual([SENDER, 'jeanne@client.fr', 'paul@client.fr']);
    await page.context().close();
  });
});
