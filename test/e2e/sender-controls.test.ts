// The sender stays in control, end to end on the local stack: SMTP in, outbox out, time moved
// with POST /dev/clock and scheduled work run with POST /dev/jobs/run. *STATUS, *REMIND,
// *CANCEL (in reply to the acknowledgement), progress after a signature, automatic reminder,
// expiry, decline, and a duplicate Message-ID.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePdf } from '../support/mail-fixtures.ts';
import { makeSolidPng } from '../support/png.ts';
import {
  readOutboxMail,
  readOutboxSms,
  sendSmtp,
  startTestStack,
  type OutboxMail,
  type TestStack,
} from '../support/local-stack-fixture.ts';

const DAY = 86_400_000;
const CLAIRE = 'claire@agence-dubois.fr';
let stack: TestStack;

/** Sends a mail, waits for intake, and returns the mails it made. */
async function send(mail: Omit<Parameters<typeof sendSmtp>[1], 'to'> & { to?: string[] }): Promise<OutboxMail[]> {
  const before = (await readOutboxMail(stack)).length;
  await sendSmtp(stack, { ...mail, to: mail.to ?? ['sign@mailsign.localhost'] });
  await stack.idle();
  return (await readOutboxMail(stack)).slice(before);
}

async function signRequest(subject: string, messageId?: string) {
  const mails = await send({
    from: `Claire Dubois <${CLAIRE}>`,
    to: ['Jeanne Martin <jeanne@client.fr>', 'paul@client.fr'],
    subject: `*SIGN ${subject}`,
    text: 'Bonjour, merci de signer.',
    attachments: [{ filename: 'contrat.pdf', content: await makePdf(), contentType: 'application/pdf' }],
    ...(messageId && { messageId }),
  });
  const ack = mails.find((m) => m.deliveredTo[0] === CLAIRE) as OutboxMail;
  const id = String(ack.headers.get('x-mailsign-envelope'));
  const tokenOf = (address: string) =>
    /#t=([A-Za-z0-9_-]+)/.exec(mails.find((m) => m.deliveredTo[0] === address)?.text ?? '')?.[1] ?? '';
  return { id, ref: id.slice(0, 8), ack, jeanne: tokenOf('jeanne@client.fr'), paul: tokenOf('paul@client.fr') };
}

const api = async (method: string, path: string, token?: string, body?: unknown) => {
  const response = await fetch(`${stack.httpUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

async function runJobs(advanceMs: number): Promise<{ ran: Array<Record<string, unknown>>; mails: OutboxMail[] }> {
  const before = (await readOutboxMail(stack)).length;
  expect((await api('POST', '/dev/clock', undefined, { advanceMs })).status).toBe(200);
  const { body } = await api('POST', '/dev/jobs/run');
  return { ran: body.ran as Array<Record<string, unknown>>, mails: (await readOutboxMail(stack)).slice(before) };
}

async function sign(token: string): Promise<number> {
  await api('POST', '/api/signing/otp', token, { phone: '06 12 34 56 78' });
  const code = /\b(\d{6})\b/.exec((await readOutboxSms(stack)).at(-1)?.body ?? '')?.[1];
  await api('POST', '/api/signing/otp/verify', token, { code });
  const png = makeSolidPng({ width: 300, height: 100, rgb: [0, 0, 0] });
  const image = `data:image/png;base64,${Buffer.from(png).toString('base64')}`;
  const placements = [{ documentId: 'd1', page: 1, x: 0.5, y: 0.8, width: 0.3, height: 0.08 }];
  return (await api('POST', '/api/signing/signature', token, { image, placements, consent: true })).status;
}

let first: Awaited<ReturnType<typeof signRequest>>;

beforeAll(async () => {
  stack = await startTestStack({ jobsIntervalMs: 0 });
  first = await signRequest('Contrat 2026');
});

afterAll(async () => {
  await stack?.cleanup();
});

describe('sender controls on the local stack', () => {
  it('names the envelope in the acknowledgement (header, Réf. in subject and body)', () => {
    expect([first.ack.subject, first.ack.text]).toEqual([
      expect.stringContaining(`(Réf. ${first.ref})`),
      expect.stringContaining(`Réf. ${first.ref}`),
    ]);
  });

  it('answers *STATUS to the sender only, with the reference, the signers and whose turn', async () => {
    const mails = await send({ from: CLAIRE, to: ['sign@mailsign.localhost'], subject: '*STATUS', text: '' });
    expect(mails.map((m) => m.deliveredTo)).toEqual([[CLAIRE]]);
    expect(mails[0]?.text).toContain(`Réf. ${first.ref} — «\u202fContrat 2026\u202f»`);
    expect(mails[0]?.text).toContain(
      "1. Jeanne Martin <jeanne@client.fr>\u202f: n'a pas encore " + 'signé — à son tour',
    );
  });

  it('sends the sender a progress mail after a signature but the last: who, k of n, whose turn', async () => {
    const before = (await readOutboxMail(stack)).length;
    expect(await sign(first.jeanne)).toBe(200);
    const progress = (await readOutboxMail(stack))
      .slice(before)
      .find((m) => m.deliveredTo[0] === CLAIRE && m.headers.get('x-mailsign-envelope') === first.id);
    expect(progress?.subject).toContain('1 signature sur 2\u202f: Contrat 2026');
    expect(progress?.text).toContain("C'est maintenant au tour de paul@client.fr");
  });

  it('*REMIND sends the signer whose turn it is a working link; a second within 24 h says when', async () => {
    const mails = await send({ from: CLAIRE, subject: `*REMIND ${first.ref}`, text: '' });
    const reminder = mails.find((m) => m.deliveredTo[0] === 'paul@client.fr');
    const token = /#t=([A-Za-z0-9_-]+)/.exec(reminder?.text ?? '')?.[1];
    const view = await api('GET', '/api/signing', token);
    expect([view.status, (view.body.you as { yourTurn: boolean }).yourTurn]).toEqual([200, true]);
    const again = await send({ from: CLAIRE, subject: `*REMIND ${first.ref}`, text: '' });
    const refused = again.map((m) => [m.deliveredTo[0], m.subject?.startsWith('Rappel déjà envoyé')]);
    expect(refused).toEqual([[CLAIRE, true]]);
  });

  it('reminds automatically once the delay has passed (time moved with /dev/clock)', async () => {
    const { ran, mails } = await runJobs(3 * DAY + 60_000);
    expect(ran).toContainEqual({ job: 'reminder', envelopeId: first.id, position: 2 });
    expect(mails.map((m) => m.deliveredTo[0])).toEqual(['paul@client.fr']);
    expect((await runJobs(0)).mails).toEqual([]);
  });

  it(
    '*CANCEL in a reply to the acknowledgement cancels: withdrawal to ' + 'signers, confirmation, links closed',
    async () => {
      const second = await signRequest('Avenant');
      const mails = await send({
        from: CLAIRE,
        subject: `Re: ${second.ack.subject} *CANCEL`,
        text: '',
        inReplyTo: second.ack.messageId,
        references: second.ack.messageId,
      });
      expect(mails.map((m) => m.deliveredTo[0]).sort()).toEqual([CLAIRE, 'jeanne@client.fr', 'paul@client.fr']);
      expect((await api('GET', '/api/signing', second.jeanne)).body.envelope).toMatchObject({ status: 'cancelled' });
      expect(await api('POST', '/api/signing/decline', second.jeanne, { reason: 'non' })).toMatchObject({
        status: 409,
        body: { code: 'ENVELOPE_CLOSED' },
      });
    },
  );

  it('a decline tells the sender with the reason and every other signer', async () => {
    const third = await signRequest('Devis');
    const before = (await readOutboxMail(stack)).length;
    expect((await api('POST', '/api/signing/decline', third.paul, { reason: 'Le montant est faux.' })).status).toBe(
      200,
    );
    const mails = (await readOutboxMail(stack)).slice(before);
    expect(mails.map((m) => [m.deliveredTo[0], m.text?.includes('Le montant est faux.')]).sort()).toEqual([
      [CLAIRE, true],
      ['jeanne@client.fr', false],
    ]);
  });

  it('expires the envelope at its date and tells the sender and the pending signer, once', async () => {
    const { ran, mails } = await runJobs(30 * DAY);
    expect(ran).toContainEqual(expect.objectContaining({ job: 'expiry', envelopeId: first.id }));
    const aboutFirst = mails.filter((m) => m.subject?.includes('Contrat 2026'));
    expect(aboutFirst.map((m) => m.deliveredTo[0]).sort()).toEqual([CLAIRE, 'paul@client.fr']);
    const view = await api('GET', '/api/signing', first.jeanne);
    expect(view.status === 410 ? view.body.code : (view.body.envelope as { status: string }).status).toMatch(
      /^(LINK_EXPIRED|expired)$/,
    );
    expect((await runJobs(0)).mails).toEqual([]);
  });

  it('creates nothing and sends nothing for a Message-ID already received from the same sender', async () => {
    await signRequest('Bon de commande', '<double-clic@agence-dubois.fr>');
    const again = await send({
      from: CLAIRE,
      to: ['jeanne@client.fr'],
      subject: '*SIGN Bon de commande',
      text: 'Bonjour',
      messageId: '<double-clic@agence-dubois.fr>',
      attachments: [{ filename: 'bon.pdf', content: await makePdf(), contentType: 'application/pdf' }],
    });
    expect(again).toEqual([]);
  });

  it('refuses a clock moved backwards', async () => {
    expect((await api('POST', '/dev/clock', undefined, { advanceMs: -1 })).status).toBe(400);
  });
});
