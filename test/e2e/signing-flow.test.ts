// The whole product in headless Chromium against the real local stack: a `*SIGN` mail with two
// PDFs and two signers goes in through SMTP; both signers (desktop size) open their links from
// the outbox, draw, place on page 1 of each document, confirm their phone with the code from the
// SMS outbox and sign; the sender receives the certified PDFs, which pass every independent
// verifier. A second request is signed at phone size (375 px, touch). Screenshots of each step
// go to test-artifacts/e2e/.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWeb } from '../../web/build.ts';
import { drawSignature, drawSignatureByTouch, hasChromium, launchChromium } from '../support/browser.ts';
import {
  readOutboxMail,
  readOutboxSms,
  sendSmtp,
  startTestStack,
  type TestStack,
} from '../support/local-stack-fixture.ts';
import { makePdf } from '../support/mail-fixtures.ts';
import { verifyCertifiedPdf } from '../support/pdf-verifiers.ts';
import { requireTool } from '../support/require-tool.ts';

const ARTIFACTS = join(process.cwd(), 'test-artifacts', 'e2e');
const enabled = hasChromium() && requireTool('pdfsig', 'mutool', 'qpdf', 'openssl');

let stack: TestStack;
let browser: Browser;
let webRoot: string;
const originals = new Map<string, Uint8Array>();

beforeAll(async () => {
  if (!enabled) return;
  await mkdir(ARTIFACTS, { recursive: true });
  webRoot = await mkdtemp(join(tmpdir(), 'mailsign-web-'));
  await buildWeb({ outDir: webRoot });
  stack = await startTestStack({ webRoot });
  browser = await launchChromium();
  originals.set('contrat.pdf', await makePdf({ pages: 3, title: 'Contrat de prestation' }));
  originals.set('annexe.pdf', await makePdf({ pages: 1, title: 'Annexe tarifaire', size: [841.89, 595.28] }));
});

afterAll(async () => {
  await browser?.close();
  await stack?.cleanup();
  if (webRoot) await rm(webRoot, { recursive: true, force: true });
});

function linkIn(text: string | undefined): string {
  const link = /https?:\/\/\S+\/sign\.html#t=[A-Za-z0-9_-]+/.exec(text ?? '')?.[0];
  if (!link) throw new Error('No signing link in the mail');
  return link;
}

async function latestLinkFor(address: string): Promise<string> {
  const mails = (await readOutboxMail(stack)).filter((m) => m.deliveredTo[0] === address);
  return linkIn(mails.at(-1)?.text);
}

async function latestCodeFor(phone: string, sentBefore: number): Promise<string> {
  let code: string | undefined;
  await expect
    .poll(
      async () => {
        const sms = (await readOutboxSms(stack)).filter((s) => s.to === phone);
        code = sms.length > sentBefore ? /\b(\d{6})\b/.exec(sms.at(-1)?.body ?? '')?.[1] : undefined;
        return code;
      },
      { timeout: 15_000 },
    )
    .toBeDefined();
  return code as string;
}

type SignAs = {
  address: string;
  phone: string;
  size: { width: number; height: number };
  mobile: boolean;
  shotPrefix: string;
  /** Where to tap on page 1, as fractions of the page. */
  placeAt: { x: number; y: number };
  documentIds: string[];
};

async function signAs(options: SignAs): Promise<void> {
  const context = await browser.newContext({
    viewport: options.size,
    locale: 'fr-FR',
    isMobile: options.mobile,
    hasTouch: options.mobile,
    deviceScaleFactor: options.mobile ? 2 : 1,
  });
  const page = await context.newPage();
  const shot = (name: string) =>
    page.screenshot({ path: join(ARTIFACTS, `${options.shotPrefix}-${name}.png`), fullPage: true });
  try {
    await page.goto(await latestLinkFor(options.address));
    await page.locator('.request-subject').waitFor();
    expect(page.url()).not.toContain('#t=');
    for (const id of options.documentIds) {
      const surface = page.locator(`#doc-${id} .page-surface[data-page="1"]`);
      await surface.scrollIntoViewIfNeeded();
      await page.locator(`#doc-${id} .page-surface[data-page="1"][data-rendered="true"]`).waitFor({ timeout: 30_000 });
    }
    await shot('1-opened');
    await (options.mobile ? drawSignatureByTouch(page) : drawSignature(page));
    await shot('2-drawn');
    for (const id of options.documentIds) {
      const overlay = page.locator(`#doc-${id} .page-surface[data-page="1"] .page-overlay`);
      await overlay.scrollIntoViewIfNeeded();
      const area = await overlay.boundingBox();
      if (!area) throw new Error(`Page 1 of ${id} is not visible`);
      const position = { x: area.width * options.placeAt.x, y: area.height * options.placeAt.y };
      const boxes = page.locator(`#doc-${id} .sig-box`);
      // One tap, no retry: the page reads a tap from its pointer events, because Chromium drops
      // the click of a tap made just after a scroll (scrollIntoViewIfNeeded above); see web/src/tap.ts.
      await (options.mobile ? overlay.tap({ position }) : overlay.click({ position }));
      await expect.poll(() => boxes.count()).toBe(1);
    }
    await shot('3-placed');
    const e164 = `+33${options.phone.replace(/\s/g, '').slice(1)}`;
    const smsBefore = (await readOutboxSms(stack)).filter((s) => s.to === e164).length;
    await page.getByLabel('Numéro de téléphone mobile').fill(options.phone);
    await page.getByRole('button', { name: 'Recevoir le code' }).click();
    const code = await latestCodeFor(e164, smsBefore);
    await page.getByLabel('Code à 6 chiffres reçu par SMS').fill(code);
    await page.getByRole('button', { name: 'Valider le code' }).click();
    await page.getByText('Téléphone confirmé.').waitFor();
    await page.getByLabel('J’ai lu les documents et j’accepte de les signer électroniquement.').check();
    await shot('4-ready');
    await page.getByRole('button', { name: 'Signer les documents' }).click();
    await page.getByRole('heading', { name: 'C’est signé !' }).waitFor({ timeout: 30_000 });
    await shot('5-signed');
  } finally {
    await context.close();
  }
}

describe.runIf(enabled)('signing flow in Chromium', () => {
  it('goes from a *SIGN mail to certified PDFs in the sender outbox', async () => {
    await sendSmtp(stack, {
      from: 'Claire Dubois <claire@agence-dubois.fr>',
      to: ['Jeanne Martin <jeanne@client.fr>'],
      cc: ['Paul Leroy <paul@client.fr>'],
      subject: '*SIGN Contrat de prestation 2026',
      text: 'Bonjour,\n\nVoici le contrat et son annexe à signer.\n\nClaire',
      attachments: [...originals].map(([filename, content]) => ({ filename, content, contentType: 'application/pdf' })),
    });
    await stack.idle();

    const desktop = { size: { width: 1280, height: 900 }, mobile: false, documentIds: ['d1', 'd2'] };
    await signAs({
      ...desktop,
      address: 'jeanne@client.fr',
      phone: '06 12 34 56 78',
      shotPrefix: 'signer1-desktop',
      placeAt: { x: 0.3, y: 0.8 },
    });
    await expect
      .poll(async () => (await readOutboxMail(stack)).filter((m) => m.deliveredTo[0] === 'paul@client.fr').length)
      .toBe(2);
    await signAs({
      ...desktop,
      address: 'paul@client.fr',
      phone: '07 98 76 54 32',
      shotPrefix: 'signer2-desktop',
      placeAt: { x: 0.7, y: 0.8 },
    });
    await stack.idle();

    const final = (await readOutboxMail(stack)).find(
      (m) => m.deliveredTo[0] === 'claire@agence-dubois.fr' && /Signé par tous/.test(m.subject ?? ''),
    );
    expect(final, 'the sender receives the certified documents').toBeDefined();
    expect(final?.attachments.map((a) => a.filename).sort()).toEqual(['annexe-signe.pdf', 'contrat-signe.pdf']);
    for (const attachment of final?.attachments ?? []) {
      const original = originals.get((attachment.filename ?? '').replace('-signe.pdf', '.pdf'));
      await writeFile(join(ARTIFACTS, attachment.filename ?? 'certified.pdf'), attachment.content);
      // `npm start` seals B-T with its own TSA, and embeds the root's CRL: both chain to the local root.
      const rootCaPem = await readFile(join(stack.dataDir, 'seal', 'root-cert.pem'), 'utf8');
      await verifyCertifiedPdf({
        pdf: new Uint8Array(attachment.content),
        original,
        rootCaPem,
        tsaCaPem: rootCaPem,
        revocation: true,
      });
    }
  });

  it('signs at phone size, with touch, through to the certified PDF', async () => {
    await sendSmtp(stack, {
      from: 'Claire Dubois <claire@agence-dubois.fr>',
      to: ['Marc Petit <marc@client.fr>'],
      subject: 'Devis cuisine *SIGN',
      text: 'Bonjour Marc, voici le devis.',
      attachments: [
        {
          filename: 'devis.pdf',
          content: await makePdf({ pages: 2, title: 'Devis cuisine' }),
          contentType: 'application/pdf',
        },
      ],
    });
    await stack.idle();
    await signAs({
      address: 'marc@client.fr',
      phone: '06 55 44 33 22',
      size: { width: 375, height: 740 },
      mobile: true,
      documentIds: ['d1'],
      shotPrefix: 'phone',
      placeAt: { x: 0.5, y: 0.85 },
    });
    await stack.idle();
    const final = (await readOutboxMail(stack)).find(
      (m) => m.deliveredTo[0] === 'marc@client.fr' && /Signé par tous/.test(m.subject ?? ''),
    );
    expect(final?.attachments.map((a) => a.filename)).toEqual(['devis-signe.pdf']);
    await verifyCertifiedPdf({ pdf: new Uint8Array(final?.attachments[0]?.content ?? []) });
  });
});
