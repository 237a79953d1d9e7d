// Top-ups on the real local stack (dynalite, s3rver, the HTTP gateway, the local checkout page that
// signs its events as Stripe does and posts them to the real webhook route), then in Chromium as a
// customer would: desktop and phone sizes.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureAccount } from '../../lambdas/core/accounts/account-records.ts';
import { invoiceYear, invoicesPk } from '../../lambdas/core/payments/invoice-records.ts';
import { setAccountStatus } from '../../lambdas/core/accounts/manage-account.ts';
import { issueToken } from '../../lambdas/core/tokens/link-tokens.ts';
import { buildWeb } from '../../web/build.ts';
import { hasChromium, launchChromium } from '../support/browser.ts';
import { readOutboxMail, startTestStack, type TestStack, latestLoginLink } from '../support/local-stack-fixture.ts';

const enabled = hasChromium();
let stack: TestStack;
let browser: Browser | undefined;
let webRoot: string;

async function sessionFor(email: string): Promise<string> {
  await ensureAccount({ store: stack.deps.store, clock: stack.deps.clock, email });
  return (await issueToken({ ...stack.deps, kind: 'session', ttlSeconds: 3600, email })).token;
}

async function call(path: string, options: { token?: string; body?: unknown; headers?: Record<string, string> } = {}) {
  const response = await fetch(`${stack.httpUrl}${path}`, {
    method: options.body === undefined ? 'GET' : 'POST',
    headers: {
      'content-type': 'application/json',
      ...(options.token && { authorization: `Bearer ${options.token}` }),
      ...options.headers,
    },
    ...(options.body !== undefined && {
      body: typeof options.body === 'string' ? options.body : JSON.stringify(options.body),
    }),
  });
  const type = response.headers.get('content-type') ?? '';
  const body = type.includes('json') ? ((await response.json()) as Record<string, unknown>) : {};
  return { status: response.status, type, body };
}

const balanceOf = async (token: string) => (await call('/api/account', { token })).body.balanceCents as number;
const invoicesOf = async (token: string) =>
  (await call('/api/account/invoices', { token })).body.invoices as Array<{ number: string; url: string }>;

beforeAll(async () => {
  webRoot = await mkdtemp(join(tmpdir(), 'mailsign-web-'));
  await buildWeb({ outDir: webRoot });
  stack = await startTestStack({ webRoot });
  if (enabled) browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stack?.cleanup();
  if (webRoot) await rm(webRoot, { recursive: true, force: true });
});

describe('top-ups on the local stack', () => {
  it('pays on the local checkout, credits once whatever the redeliveries, and lists a PDF invoice', async () => {
    const token = await sessionFor('api-buyer@cabinet-martin.fr');
    const started = await call('/api/account/topups', { token, body: { amountCents: 2000 } });
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({ amountCents: 2000, vatCents: 400, totalCents: 2400 });
    const id = String(started.body.id);
    expect(started.body.checkoutUrl).toBe(`${stack.httpUrl}/dev/pay/${id}`);
    expect((await fetch(String(started.body.checkoutUrl))).status).toBe(200);

    const paid = await call(`/dev/pay/${id}`, { body: { outcome: 'paid' } });
    expect(paid.body).toMatchObject({ outcome: 'paid', webhookStatus: 200 });
    for (let i = 0; i < 3; i += 1)
      expect((await call(`/dev/pay/${id}/redeliver`, { body: {} })).body).toEqual({ webhookStatus: 200 });

    expect(await balanceOf(token)).toBe(2000);
    const ledger = (await call('/api/account/ledger', { token })).body.entries as Array<Record<string, unknown>>;
    expect(ledger).toEqual([expect.objectContaining({ type: 'credit', amountCents: 2000, topupId: id })]);
    const invoices = await invoicesOf(token);
    expect(invoices).toHaveLength(1);
    expect(invoices[0]?.number).toMatch(/^MS-\d{4}-\d{6}$/);
    const pdf = await fetch(`${stack.httpUrl}${invoices[0]?.url}`, { headers: { authorization: `Bearer ${token}` } });
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
    const mails = (await readOutboxMail(stack)).filter((m) => m.subject?.includes(invoices[0]?.number ?? '?'));
    expect(mails).toHaveLength(1);
    expect(mails[0]?.attachments[0]?.contentType).toBe('application/pdf');
  });

  it('refuses a forged webhook and changes nothing', async () => {
    const token = await sessionFor('forged@cabinet-martin.fr');
    const started = await call('/api/account/topups', { token, body: { amountCents: 5000 } });
    const forged = JSON.stringify({
      id: 'evt_forged',
      object: 'event',
      type: 'checkout.session.completed',
      data: {
        object: {
          id: `cs_local_${started.body.id}`,
          client_reference_id: started.body.id,
          payment_status: 'paid',
          amount_total: 6000,
          currency: 'eur',
        },
      },
    });
    const signature = `t=${Math.floor(Date.now() / 1000)},v1=${'ab'.repeat(32)}`;
    for (const headers of [{}, { 'stripe-signature': signature }] as Array<Record<string, string>>) {
      const response = await call('/api/payments/webhook', { body: forged, headers });
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('WEBHOOK_SIGNATURE_INVALID');
    }
    expect(await balanceOf(token)).toBe(0);
  });

  it('gives two payments at the same moment two consecutive invoice numbers', async () => {
    const tokens = [await sessionFor('first@atelier.fr'), await sessionFor('second@atelier.fr')];
    const ids = await Promise.all(
      tokens.map(async (token) =>
        String((await call('/api/account/topups', { token, body: { amountCents: 1000 } })).body.id),
      ),
    );
    await Promise.all(ids.map((id) => call(`/dev/pay/${id}`, { body: { outcome: 'paid' } })));
    const numbers = (await Promise.all(tokens.map(invoicesOf))).map((list) => list[0]?.number ?? '');
    const sequences = numbers.map((n) => Number(n.slice(-6))).sort((a, b) => a - b);
    expect(sequences[1]).toBe((sequences[0] ?? 0) + 1);
  });

  it('credits nothing when the checkout is canceled', async () => {
    const token = await sessionFor('cancel@atelier.fr');
    const id = String((await call('/api/account/topups', { token, body: { amountCents: 1000 } })).body.id);
    expect((await call(`/dev/pay/${id}`, { body: { outcome: 'canceled' } })).body).toMatchObject({
      webhookStatus: 200,
    });
    expect(await balanceOf(token)).toBe(0);
    expect((await call(`/api/account/topups/${id}`, { token })).body).toMatchObject({
      status: 'closed',
      credited: false,
    });
  });

  it('answers 401 without a session, 422 for a bad amount, 409 for a suspended account', async () => {
    expect((await call('/api/account/topups', { body: { amountCents: 2000 } })).status).toBe(401);
    const token = await sessionFor('rules@atelier.fr');
    const bad = await call('/api/account/topups', { token, body: { amountCents: 999 } });
    expect([bad.status, bad.body.code]).toEqual([422, 'AMOUNT_INVALID']);
    await setAccountStatus({
      store: stack.deps.store,
      clock: stack.deps.clock,
      email: 'rules@atelier.fr',
      status: 'suspended',
    });
    const suspended = await call('/api/account/topups', { token, body: { amountCents: 2000 } });
    expect([suspended.status, suspended.body.code]).toEqual([409, 'ACCOUNT_SUSPENDED']);
  });
});

async function lastInvoiceSequence(): Promise<number> {
  const [last] = await stack.deps.store.query(invoicesPk(invoiceYear(new Date())), { descending: true, limit: 1 });
  return typeof last?.sequence === 'number' ? last.sequence : 0;
}

/** Signs in as a new customer would: asks for the link on account.html and opens it from the outbox. */
async function signIn(page: Page, email: string, labels: { email: string; send: string }): Promise<void> {
  await ensureAccount({ store: stack.deps.store, clock: stack.deps.clock, email });
  await page.goto(`${stack.httpUrl}/account.html`);
  await page.getByLabel(labels.email).fill(email);
  await page.getByRole('button', { name: labels.send }).click();
  await page.locator('.account-message').waitFor();
  const link = await latestLoginLink(stack, email);
  await page.goto(link);
  await page.getByRole('heading', { name: email }).waitFor();
}

describe.skipIf(!enabled)('top-up in Chromium', () => {
  it(
    'tops up 20 EUR on a desktop, in French: amounts before paying, local ' + 'checkout, +20.00 and the next invoice',
    async () => {
      const email = 'nouvelle@boulangerie-petit.fr';
      const before = await lastInvoiceSequence();
      const context = await (browser as Browser).newContext({
        locale: 'fr-FR',
        viewport: { width: 1280, height: 900 },
      });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await signIn(page, email, { email: 'Adresse e-mail', send: 'Recevoir le lien' });
      expect(await page.locator('[data-stat="balance"]').textContent()).toContain('0,00');

      await page.getByRole('heading', { name: 'Recharger / Top up' }).waitFor();
      await page.locator('[data-preset="2000"]').click();
      expect(await page.locator('[data-amount="ht"]').textContent()).toMatch(/20,00/);
      expect(await page.locator('[data-amount="vat"]').textContent()).toMatch(/4,00/);
      expect(await page.locator('[data-amount="ttc"]').textContent()).toMatch(/24,00/);
      await page.getByRole('button', { name: /Payer 24,00/ }).click();

      await page.waitForURL(/\/dev\/pay\//);
      expect(await page.locator('[data-total]').textContent()).toContain('24.00');
      await page.getByRole('button', { name: 'Payer / Pay' }).click();
      await page.waitForURL(/account\.html/);
      await page.locator('[data-topup-result="credited"]').waitFor({ timeout: 20_000 });
      expect(await page.locator('[data-topup-result]').textContent()).toContain('+20,00');
      await page.locator('[data-stat="balance"]').filter({ hasText: '20,00' }).waitFor();
      const number = `MS-${invoiceYear(new Date())}-${String(before + 1).padStart(6, '0')}`;
      await page.locator(`[data-invoice="${number}"]`).waitFor();
      expect(await page.locator('.account-invoice').count()).toBe(1);

      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.locator(`[data-invoice="${number}"]`).getByRole('button', { name: 'Télécharger' }).click(),
      ]);
      expect(download.suggestedFilename()).toBe(`facture-invoice-${number}.pdf`);
      expect(errors).toEqual([]);
      await context.close();
    },
  );

  it('tops up a typed amount on a phone, in English, and comes back from a canceled checkout unchanged', async () => {
    const email = 'new-customer@plumber.co.uk';
    const context = await (browser as Browser).newContext({
      locale: 'en-GB',
      viewport: { width: 375, height: 740 },
      isMobile: true,
      hasTouch: true,
    });
    const page = await context.newPage();
    await signIn(page, email, { email: 'Email address', send: 'Email me a link' });
    await page.getByLabel(/Other amount/).fill('20');
    expect(await page.locator('[data-amount="ttc"]').textContent()).toMatch(/24\.00/);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);

    await page.getByRole('button', { name: /Pay €24\.00/ }).click();
    await page.waitForURL(/\/dev\/pay\//);
    await page.getByRole('button', { name: 'Annuler / Cancel' }).click();
    await page.getByRole('heading', { name: 'Payment canceled' }).waitFor();
    expect(await page.locator('[data-stat="balance"]').textContent()).toContain('0.00');

    await page.getByLabel(/Other amount/).fill('20');
    await page.getByRole('button', { name: /Pay €24\.00/ }).click();
    await page.waitForURL(/\/dev\/pay\//);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await page.getByRole('button', { name: 'Payer / Pay' }).click();
    await page.locator('[data-topup-result="credited"]').waitFor({ timeout: 20_000 });
    await page.locator('[data-stat="balance"]').filter({ hasText: '20.00' }).waitFor();
    expect(await page.locator('.account-invoice').count()).toBe(1);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await context.close();
  });
});
