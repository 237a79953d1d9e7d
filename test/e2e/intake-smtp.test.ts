// From SMTP to the outbox through the real local stack: a `*SIGN` mail with two PDFs and two
// signers yields one message per signer (link above the text, both PDFs attached) and an
// acknowledgement to the sender.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePdf } from '../support/mail-fixtures.ts';
import {
  readOutboxMail,
  sendSmtp,
  startTestStack,
  type OutboxMail,
  type TestStack,
} from '../support/local-stack-fixture.ts';

let stack: TestStack;
let mails: OutboxMail[];

beforeAll(async () => {
  stack = await startTestStack();
  await sendSmtp(stack, {
    from: 'Claire Dubois <claire@agence-dubois.fr>',
    to: ['Jeanne Martin <jeanne@client.fr>', 'Paul Leroy <paul@client.fr>'],
    subject: '*SIGN Contrat 2026',
    text: 'Bonjour,\n\nMerci de signer le contrat et son annexe.\n',
    html: '<html><body><p>Bonjour,</p><p>Merci de signer le contrat et son annexe.</p></body></html>',
    attachments: [
      { filename: 'contrat.pdf', content: await makePdf({ pages: 2 }), contentType: 'application/pdf' },
      { filename: 'annexe.pdf', content: await makePdf({ pages: 1, title: 'Annexe' }), contentType: 'application/pdf' },
    ],
  });
  await stack.idle();
  mails = await readOutboxMail(stack);
});

afterAll(async () => {
  await stack?.cleanup();
});

describe('SMTP to outbox', () => {
  it('sends one message per signer and one acknowledgement to the sender', () => {
    expect(mails.map((m) => m.deliveredTo.join(',')).sort()).toEqual([
      'claire@agence-dubois.fr',
      'jeanne@client.fr',
      'paul@client.fr',
    ]);
  });

  it('puts the personal link above the sender text in the text and HTML parts', () => {
    for (const address of ['jeanne@client.fr', 'paul@client.fr']) {
      const mail = mails.find((m) => m.deliveredTo[0] === address) as OutboxMail;
      const link = new RegExp(`${stack.httpUrl.replace(/[.:/]/g, '\\$&')}/sign\\.html#t=[A-Za-z0-9_-]{32,}`).exec(
        mail.text ?? '',
      )?.[0];
      expect(link, `link for ${address}`).toBeDefined();
      expect((mail.text ?? '').indexOf(link as string)).toBeLessThan((mail.text ?? '').indexOf('Merci de signer'));
      const html = String(mail.html);
      expect(html.indexOf(link as string)).toBeGreaterThan(-1);
      expect(html.indexOf(link as string)).toBeLessThan(html.indexOf('Merci de signer'));
    }
  });

  it('attaches both PDFs to each signer message, with the subject cleaned of the marker', () => {
    const mail = mails.find((m) => m.deliveredTo[0] === 'jeanne@client.fr') as OutboxMail;
    expect(mail.subject).toBe('Contrat 2026');
    expect(mail.attachments.map((a) => a.filename).sort()).toEqual(['annexe.pdf', 'contrat.pdf']);
    expect(mail.attachments.every((a) => a.content.subarray(0, 5).toString() === '%PDF-')).toBe(true);
  });

  it('writes each outbox .eml with its .json delivery record', () => {
    expect(mails.every((m) => m.raw.length > 0 && m.file.endsWith('.eml'))).toBe(true);
  });

  it('shows each sent mail like a webmail: headers, HTML and text parts, downloadable attachments', async () => {
    const mail = mails.find((m) => m.deliveredTo[0] === 'jeanne@client.fr') as OutboxMail;
    const list = await (await fetch(`${stack.httpUrl}/dev/outbox`)).text();
    const view = `/dev/outbox/view/${encodeURIComponent(mail.file)}`;
    expect(list).toContain(`href="${view}"`);
    const page = await (await fetch(`${stack.httpUrl}${view}`)).text();
    expect(page).toContain('<h1>Contrat 2026</h1>');
    expect(page).toMatch(/<iframe title="HTML part" sandbox="" srcdoc="[^"]*Merci de signer/);
    expect(page).toContain('<h2>Text part</h2>');
    const index = mail.attachments.findIndex((a) => a.filename === 'contrat.pdf');
    expect(page).toContain(`/dev/outbox/attachment/${encodeURIComponent(mail.file)}/${index}`);
    const response = await fetch(`${stack.httpUrl}/dev/outbox/attachment/${encodeURIComponent(mail.file)}/${index}`);
    expect(response.headers.get('content-disposition')).toContain('contrat.pdf');
    expect(Buffer.from(await response.arrayBuffer()).equals(mail.attachments[index]!.content)).toBe(true);
    expect((await fetch(`${stack.httpUrl}/dev/outbox/view/..%2Fsecret.eml`)).status).toBe(404);
  });

  it('answers the health check', async () => {
    expect((await fetch(`${stack.httpUrl}/api/health`)).status).toBe(200);
  });
});

describe('the signing link from the outbox', () => {
  const tokenFor = (address: string) =>
    /#t=([A-Za-z0-9_-]+)/.exec(mails.find((m) => m.deliveredTo[0] === address)?.text ?? '')?.[1];

  it('opens the envelope on GET /api/signing', async () => {
    const response = await fetch(`${stack.httpUrl}/api/signing`, {
      headers: { authorization: `Bearer ${tokenFor('jeanne@client.fr')}` },
    });
    expect(response.status).toBe(200);
    const view = (await response.json()) as {
      envelope: { subject: string };
      documents: unknown[];
      you: { position: number; yourTurn: boolean };
    };
    expect(view.envelope.subject).toBe('Contrat 2026');
    expect(view.documents).toHaveLength(2);
    expect(view.you).toMatchObject({ position: 1, yourTurn: true });
  });

  it('answers 401 problem+json for an unknown token', async () => {
    const response = await fetch(`${stack.httpUrl}/api/signing`, {
      headers: { authorization: `Bearer ${'x'.repeat(32)}` },
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(((await response.json()) as { code: string }).code).toBe('TOKEN_INVALID');
  });
});
