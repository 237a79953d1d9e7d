// Intake: from a raw `*SIGN` email in the raw-mail store to an envelope, signer mails and an
// acknowledgement; and every bad input answered by one clear reply to the sender.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { getEnvelope, listSigners } from '../../../../lambdas/core/envelopes/envelope-records.ts';
import { receiveSignRequest } from '../../../../lambdas/core/intake/receive-sign-request.ts';
import { resolveToken } from '../../../../lambdas/core/tokens/link-tokens.ts';
import { createFakeDeps, type FakeDeps } from '../../../support/fake-deps.ts';
import {
  buildSignRequestMail,
  makePdf,
  makeSignedLookingPdf,
  type SignRequestMailOptions,
} from '../../../support/mail-fixtures.ts';

const PASS = { dmarc: 'PASS', spf: 'PASS', dkim: 'PASS', spam: 'PASS', virus: 'PASS' };
const corpus = (name: string) =>
  new Uint8Array(readFileSync(new URL(`../../../fixtures/real-pdfs/${name}`, import.meta.url)));

async function deliver(
  deps: FakeDeps,
  mail: SignRequestMailOptions | Uint8Array,
  messageId = 'msg-1',
  verdicts = PASS,
) {
  const raw = mail instanceof Uint8Array ? mail : await buildSignRequestMail(mail);
  await deps.rawMail.put({ key: messageId, body: raw, contentType: 'message/rfc822' });
  return receiveSignRequest({ deps, messageId, verdicts, envelopeSender: 'claire@agence-dubois.fr' });
}

async function twoSignerRequest(): Promise<SignRequestMailOptions> {
  return {
    to: ['Jeanne Martin <jeanne.martin@client.fr>'],
    cc: ['Paul Leroy <paul@client.fr>'],
    subject: '*SIGN Contrat de prestation',
    text: 'Bonjour,\nVoici le contrat.',
    html: '<html><body><p>Bonjour,</p><p>Voici le contrat.</p><img src="cid:logo@agence"></body></html>',
    attachments: [
      { filename: 'contrat.pdf', content: await makePdf({ pages: 2 }), contentType: 'application/pdf' },
      { filename: 'annexe.pdf', content: await makePdf({ pages: 1 }), contentType: 'application/pdf' },
      {
        filename: 'logo.png',
        content: Buffer.from('iVBORw0KGgo=', 'base64'),
        contentType: 'image/png',
        cid: 'logo@agence',
      },
    ],
  };
}

function refusalText(deps: FakeDeps) {
  return deps.parseSentMail().then((mails) => mails.map((m) => `${m.subject}\n${m.text}`));
}

describe('receiveSignRequest: a valid request', () => {
  it('creates the envelope with signers in To-then-Cc order and the documents with their pages', async () => {
    const deps = createFakeDeps();
    const outcome = await deliver(deps, await twoSignerRequest());
    expect(outcome.status).toBe('accepted');
    const envelopeId = (outcome as { envelopeId: string }).envelopeId;
    const envelope = await getEnvelope(deps.store, envelopeId);
    expect(envelope).toMatchObject({
      subject: 'Contrat de prestation',
      status: 'signing',
      signerCount: 2,
      currentPosition: 1,
    });
    expect(envelope?.documents.map((d) => [d.name, d.pageCount])).toEqual([
      ['contrat.pdf', 2],
      ['annexe.pdf', 1],
    ]);
    expect((await listSigners(deps.store, envelopeId)).map((s) => [s.position, s.email, s.status])).toEqual([
      [1, 'jeanne.martin@client.fr', 'pending'],
      [2, 'paul@client.fr', 'pending'],
    ]);
  });

  it('stores the original PDFs byte for byte', async () => {
    const deps = createFakeDeps();
    const request = await twoSignerRequest();
    const outcome = (await deliver(deps, request)) as { envelopeId: string };
    const envelope = await getEnvelope(deps.store, outcome.envelopeId);
    const stored = await deps.documents.get(envelope?.documents[0]?.key ?? '');
    expect(Buffer.from(stored as Uint8Array).equals(Buffer.from(request.attachments?.[0]?.content as Uint8Array))).toBe(
      true,
    );
  });

  it(
    'sends each signer the message with a personal link above the text and ' + 'HTML, the PDFs and inline image kept',
    async () => {
      const deps = createFakeDeps();
      await deliver(deps, await twoSignerRequest());
      const mails = await deps.parseSentMail();
      const toJeanne = mails.find((m) => m.deliveredTo[0] === 'jeanne.martin@client.fr');
      expect(toJeanne?.subject).toBe('Contrat de prestation');
      expect(toJeanne?.replyTo?.value[0]?.address).toBe('claire@agence-dubois.fr');
      const link = /https:\/\/sign\.example\.test\/sign\.html#t=([A-Za-z0-9_-]+)/.exec(toJeanne?.text ?? '');
      expect(link).not.toBeNull();
      expect((toJeanne?.text ?? '').indexOf(link?.[0] ?? '')).toBeLessThan(
        (toJeanne?.text ?? '').indexOf('Voici le contrat'),
      );
      const html = String(toJeanne?.html);
      expect(html.indexOf('data-mailsign-block')).toBeLessThan(html.indexOf('Voici le contrat'));
      expect(html).toContain(link?.[0]);
      expect(toJeanne?.attachments.map((a) => a.filename).sort()).toEqual(['annexe.pdf', 'contrat.pdf', 'logo.png']);
      expect(toJeanne?.text).toContain('signataire 1 sur 2');
    },
  );

  it('gives each signer a working signing token for their own position', async () => {
    const deps = createFakeDeps();
    await deliver(deps, await twoSignerRequest());
    const mails = await deps.parseSentMail();
    const toPaul = mails.find((m) => m.deliveredTo[0] === 'paul@client.fr');
    const token = /#t=([A-Za-z0-9_-]+)/.exec(toPaul?.text ?? '')?.[1];
    const record = await resolveToken({ store: deps.store, clock: deps.clock, token, kind: 'signing' });
    expect(record.position).toBe(2);
    expect(toPaul?.text).toContain('quand ce sera votre tour');
  });

  it('acknowledges to the sender with the documents and the signers in order, attaching nothing', async () => {
    const deps = createFakeDeps();
    await deliver(deps, await twoSignerRequest());
    const ack = (await deps.parseSentMail()).find((m) => m.deliveredTo[0] === 'claire@agence-dubois.fr');
    expect(ack?.text).toMatch(/1\. Jeanne Martin <jeanne\.martin@client\.fr>\n2\. Paul Leroy <paul@client\.fr>/);
    expect(ack?.text).toContain('contrat.pdf');
    expect(ack?.attachments).toHaveLength(0);
  });

  it('does nothing on a second delivery of the same message', async () => {
    const deps = createFakeDeps();
    const request = await buildSignRequestMail(await twoSignerRequest());
    await deliver(deps, request, 'same-id');
    const sentBefore = deps.sentMail.length;
    const second = await deliver(deps, request, 'same-id');
    expect(second).toEqual({ status: 'ignored', reason: 'already processed' });
    expect(deps.sentMail.length).toBe(sentBefore);
  });
});

describe('receiveSignRequest: refusals', () => {
  async function expectRefusal(mail: SignRequestMailOptions, code: string, phrase: RegExp) {
    const deps = createFakeDeps();
    const outcome = await deliver(deps, mail);
    expect(outcome).toEqual({ status: 'refused', code });
    expect(deps.sentMail.map((m) => m.to)).toEqual([['claire@agence-dubois.fr']]);
    expect((await refusalText(deps))[0]).toMatch(phrase);
    expect(await deps.rawMail.get('msg-1')).toBeDefined();
  }

  it('refuses a message without PDF', async () => {
    await expectRefusal({ attachments: [] }, 'NO_PDF', /aucune pièce jointe PDF/);
  });

  it('refuses an encrypted PDF, naming the file', async () => {
    await expectRefusal(
      { attachments: [{ filename: 'secret.pdf', content: corpus('refuse/encrypted_new.pdf') }] },
      'PDF_ENCRYPTED',
      /secret\.pdf.*mot de passe/s,
    );
  });

  it('refuses a truncated PDF, naming the file', async () => {
    const pdf = await makePdf({ pages: 3 });
    await expectRefusal(
      { attachments: [{ filename: 'coupe.pdf', content: pdf.slice(0, pdf.length / 2) }] },
      'PDF_INVALID',
      /coupe\.pdf/,
    );
  });

  it('refuses a file named .pdf that is not a PDF', async () => {
    await expectRefusal(
      { attachments: [{ filename: 'faux.pdf', content: 'PK\u0003\u0004 a zip file', contentType: 'application/pdf' }] },
      'PDF_INVALID',
      /faux\.pdf/,
    );
  });

  it('refuses a PDF that already carries a signature', async () => {
    await expectRefusal(
      { attachments: [{ filename: 'signe.pdf', content: await makeSignedLookingPdf() }] },
      'PDF_ALREADY_SIGNED',
      /signe\.pdf.*signature/s,
    );
  });

  it('refuses a request with no signer', async () => {
    const pdf = await makePdf();
    await expectRefusal(
      { to: ['sign@mailsign.test'], attachments: [{ filename: 'c.pdf', content: pdf }] },
      'NO_SIGNER',
      /aucun signataire/,
    );
  });

  it('refuses more than 10 signers', async () => {
    const pdf = await makePdf();
    const to = Array.from({ length: 11 }, (_, i) => `s${i}@client.fr`);
    await expectRefusal(
      { to, attachments: [{ filename: 'c.pdf', content: pdf }] },
      'TOO_MANY_SIGNERS',
      /11 signataires/,
    );
  });

  it('refuses a subject without the *SIGN marker', async () => {
    await expectRefusal(
      { subject: 'Contrat', attachments: [{ filename: 'c.pdf', content: await makePdf() }] },
      'NO_MARKER',
      /\*SIGN/,
    );
  });

  it('refuses a message over 40 MB', async () => {
    const big = new Uint8Array(31 * 1024 * 1024).fill(65);
    await expectRefusal(
      {
        attachments: [
          { filename: 'c.pdf', content: await makePdf() },
          { filename: 'big.bin', content: big, contentType: 'application/octet-stream' },
        ],
      },
      'TOO_LARGE',
      /40 Mo/,
    );
  });

  it('sends nothing at all to an unauthenticated sender', async () => {
    const deps = createFakeDeps();
    const outcome = await deliver(deps, { attachments: [] }, 'msg-1', { ...PASS, dmarc: 'FAIL', dkim: 'FAIL' });
    expect(outcome.status).toBe('ignored');
    expect(deps.sentMail).toHaveLength(0);
    expect(await deps.rawMail.get('msg-1')).toBeDefined();
  });

  it('ignores mail that claims to come from the service itself', async () => {
    const deps = createFakeDeps();
    const outcome = await deliver(deps, { from: 'sign@mailsign.test', attachments: [] });
    expect(outcome).toEqual({ status: 'ignored', reason: 'mail from the service itself (loop)' });
    expect(deps.sentMail).toHaveLength(0);
  });
});
