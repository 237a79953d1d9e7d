// Commands by mail through intake: *STATUS, *CANCEL, *REMIND from an authenticated customer, the
// replies for unknown, closed and someone else's references, nothing for others; and duplicates.
import { beforeEach, describe, expect, it } from 'vitest';
import { getAccount } from '../../../../lambdas/core/accounts/account-records.ts';
import { getEnvelope } from '../../../../lambdas/core/envelopes/envelope-records.ts';
import { receiveSignRequest } from '../../../../lambdas/core/intake/receive-sign-request.ts';
import { getSigningView } from '../../../../lambdas/core/signing/get-signing-view.ts';
import { createFakeDeps, type FakeDeps } from '../../../support/fake-deps.ts';
import { buildSignRequestMail, makePdf, type SignRequestMailOptions } from '../../../support/mail-fixtures.ts';

const PASS = { dmarc: 'PASS', spf: 'PASS', dkim: 'PASS', spam: 'PASS', virus: 'PASS' };
const CLAIRE = 'Claire Dubois <claire@agence-dubois.fr>';
let deps: FakeDeps;
let counter = 0;

async function deliver(mail: SignRequestMailOptions, verdicts: Record<string, string> = PASS) {
  counter += 1;
  const messageId = `ses-${counter}`;
  await deps.rawMail.put({ key: messageId, body: await buildSignRequestMail(mail), contentType: 'message/rfc822' });
  return receiveSignRequest({ deps, messageId, verdicts, envelopeSender: 'claire@agence-dubois.fr' });
}

async function request(from = CLAIRE): Promise<{ id: string; ackMessageId: string }> {
  const before = deps.sentMail.length;
  const outcome = await deliver({
    from,
    to: ['Jeanne Martin <jeanne@client.fr>', 'paul@client.fr'],
    subject: '*SIGN Contrat 2026',
    attachments: [{ filename: 'contrat.pdf', content: await makePdf(), contentType: 'application/pdf' }],
  });
  const id = (outcome as { envelopeId: string }).envelopeId;
  const mails = await deps.parseSentMail();
  const ack = mails.slice(before).find((m) => m.headers.get('x-mailsign-envelope') === id);
  return { id, ackMessageId: ack?.messageId ?? '' };
}

/** The mails sent since `from`, parsed. */
const sentSince = async (from: number) => (await deps.parseSentMail()).slice(from);

beforeEach(() => {
  deps = createFakeDeps();
});

describe('the acknowledgement', () => {
  it('names the envelope in a header and shows Réf. in subject and body', async () => {
    const { id } = await request();
    const ack = (await deps.parseSentMail()).find((m) => m.deliveredTo[0] === 'claire@agence-dubois.fr');
    expect([ack?.headers.get('x-mailsign-envelope'), ack?.subject, ack?.text]).toEqual([
      id,
      expect.stringContaining(`(Réf. ${id.slice(0, 8)})`),
      expect.stringContaining(`Réf. ${id.slice(0, 8)}`),
    ]);
  });

  it('lists signers without repeating an address as a name', async () => {
    await request();
    const ack = (await deps.parseSentMail()).find((m) => m.deliveredTo[0] === 'claire@agence-dubois.fr');
    expect(ack?.text).toContain('2. paul@client.fr\n');
    expect(ack?.text).not.toContain('paul@client.fr <paul@client.fr>');
  });
});

describe('names without repetition', () => {
  it('does not write "address (address)" when the sender has no display name', async () => {
    await request('claire@agence-dubois.fr');
    const invitation = (await deps.parseSentMail()).find((m) => m.deliveredTo[0] === 'jeanne@client.fr');
    expect(invitation?.text).toContain('claire@agence-dubois.fr vous demande de signer');
    expect(invitation?.text).not.toContain('(claire@agence-dubois.fr)');
  });
});

describe('*STATUS', () => {
  it('answers the sender only with each open envelope, its signers, whose turn and the expiry date', async () => {
    const { id } = await request();
    const from = deps.sentMail.length;
    const outcome = await deliver({ from: CLAIRE, to: ['sign@mailsign.test'], subject: 'statut *status' });
    const [reply, ...others] = await sentSince(from);
    expect([outcome, others, reply?.deliveredTo]).toEqual([
      { status: 'command', command: 'STATUS', result: 'listed 1 of 1' },
      [],
      ['claire@agence-dubois.fr'],
    ]);
    expect(reply?.text).toContain(
      `Réf. ${id.slice(0, 8)} — «\u202fContrat 2026\u202f» — en attente de signatures (0 signature sur 2)`,
    );
    expect(reply?.text).toContain("1. Jeanne Martin <jeanne@client.fr>\u202f: n'a pas encore signé — à son tour");
    expect(reply?.text).toContain("2. paul@client.fr\u202f: n'a pas encore signé\n");
    expect(reply?.text).toContain('Expire le 27 décembre 2026');
    expect(reply?.text).toContain('1. Jeanne Martin <jeanne@client.fr>: has not signed yet — their turn');
  });

  it('answers a sender with no envelope with a reply that lists nothing', async () => {
    await deliver({ from: CLAIRE, to: ['sign@mailsign.test'], subject: '*STATUS' });
    const [reply] = await deps.parseSentMail();
    expect(reply?.text).toContain("Vous n'avez aucune demande de signature en cours");
  });

  it('does not answer a sender who is not authenticated', async () => {
    await deliver({ from: CLAIRE, subject: '*STATUS' }, { dmarc: 'FAIL', spf: 'FAIL', dkim: 'FAIL' });
    expect(deps.sentMail).toEqual([]);
  });

  it('does not answer a sender outside the customer domains', async () => {
    deps.settings = { ...deps.settings, customerDomains: ['autre.fr'] };
    const outcome = await deliver({ from: CLAIRE, subject: '*STATUS' });
    expect([outcome.status, deps.sentMail]).toEqual(['ignored', []]);
  });
});

describe('*CANCEL', () => {
  it('cancels by reference: withdrawal to signers, confirmation to the sender, links closed', async () => {
    const { id } = await request();
    const from = deps.sentMail.length;
    const outcome = await deliver({ from: CLAIRE, subject: `*CANCEL ${id.slice(0, 8)}` });
    const mails = await sentSince(from);
    expect([outcome, (await getEnvelope(deps.store, id))?.status]).toEqual([
      { status: 'command', command: 'CANCEL', result: 'cancelled' },
      'cancelled',
    ]);
    expect(mails.map((m) => m.deliveredTo[0]).sort()).toEqual([
      'claire@agence-dubois.fr',
      'jeanne@client.fr',
      'paul@client.fr',
    ]);
  });

  it('cancels the request whose acknowledgement the mail replies to', async () => {
    const { id, ackMessageId } = await request();
    await request();
    const outcome = await deliver({
      from: CLAIRE,
      subject: 'Re: Demande de signature envoyée *cancel',
      inReplyTo: ackMessageId,
      references: ackMessageId,
    });
    expect([outcome, (await getEnvelope(deps.store, id))?.status]).toEqual([
      { status: 'command', command: 'CANCEL', result: 'cancelled' },
      'cancelled',
    ]);
  });

  it('answers an unknown reference clearly and changes nothing', async () => {
    const { id } = await request();
    const from = deps.sentMail.length;
    const outcome = await deliver({ from: CLAIRE, subject: '*CANCEL 0000aaaa' });
    const [reply, ...others] = await sentSince(from);
    expect([outcome, others, (await getEnvelope(deps.store, id))?.status]).toEqual([
      { status: 'command', command: 'CANCEL', result: 'unknown-reference' },
      [],
      'signing',
    ]);
    expect(reply?.text).toContain("Aucune de vos demandes de signature n'a la référence «\u202f0000aaaa\u202f»");
  });

  it("answers someone else's reference like an unknown one and changes nothing", async () => {
    const { id } = await request('Bob <bob@autre.fr>');
    const outcome = await deliver({ from: CLAIRE, subject: `*CANCEL ${id.slice(0, 8)}` });
    expect([outcome, (await getEnvelope(deps.store, id))?.status]).toEqual([
      { status: 'command', command: 'CANCEL', result: 'unknown-reference' },
      'signing',
    ]);
  });

  it('answers a missing reference with how to give one', async () => {
    const outcome = await deliver({ from: CLAIRE, subject: '*CANCEL' });
    expect(outcome).toEqual({ status: 'command', command: 'CANCEL', result: 'no-reference' });
  });

  it('answers a closed envelope with its state and changes nothing', async () => {
    const { id } = await request();
    await deliver({ from: CLAIRE, subject: `*CANCEL ${id.slice(0, 8)}` });
    const from = deps.sentMail.length;
    const outcome = await deliver({ from: CLAIRE, subject: `*CANCEL ${id.slice(0, 8)}` });
    const [reply] = await sentSince(from);
    expect([outcome.status, (outcome as { result: string }).result, reply?.headers.get('x-mailsign-envelope')]).toEqual(
      ['command', 'closed (cancelled)', id],
    );
    expect(reply?.text).toContain('elle est annulée');
  });
});

describe('*REMIND', () => {
  it('sends the signer whose turn it is a reminder with a working link, and tells the sender', async () => {
    const { id } = await request();
    const from = deps.sentMail.length;
    const outcome = await deliver({ from: CLAIRE, subject: `*REMIND ${id.slice(0, 8)}` });
    const mails = await sentSince(from);
    const reminder = mails.find((m) => m.deliveredTo[0] === 'jeanne@client.fr');
    const token = /#t=([A-Za-z0-9_-]+)/.exec(reminder?.text ?? '')?.[1];
    expect([outcome, mails.map((m) => m.deliveredTo[0]).sort()]).toEqual([
      { status: 'command', command: 'REMIND', result: 'reminded' },
      ['claire@agence-dubois.fr', 'jeanne@client.fr'],
    ]);
    expect((await getSigningView({ deps, token })).you).toMatchObject({ email: 'jeanne@client.fr', yourTurn: true });
  });

  it('sends at most one reminder per 24 h and says when the next is possible', async () => {
    const { id } = await request();
    await deliver({ from: CLAIRE, subject: `*REMIND ${id.slice(0, 8)}` });
    deps.advance(23 * 3_600_000);
    const from = deps.sentMail.length;
    const outcome = await deliver({ from: CLAIRE, subject: `*REMIND ${id.slice(0, 8)}` });
    const mails = await sentSince(from);
    expect([outcome, mails.map((m) => m.deliveredTo[0])]).toEqual([
      { status: 'command', command: 'REMIND', result: 'throttled' },
      ['claire@agence-dubois.fr'],
    ]);
    expect(mails[0]?.text).toContain('Vous pourrez relancer à partir du 28 novembre 2026 à 10:00 (UTC)');
    deps.advance(3_600_000);
    expect(await deliver({ from: CLAIRE, subject: `*REMIND ${id.slice(0, 8)}` })).toMatchObject({ result: 'reminded' });
  });

  it('costs nothing', async () => {
    const { id } = await request();
    const before = await getAccount(deps.store, 'claire@agence-dubois.fr');
    await deliver({ from: CLAIRE, subject: `*REMIND ${id.slice(0, 8)}` });
    await deliver({ from: CLAIRE, subject: '*STATUS' });
    await deliver({ from: CLAIRE, subject: `*CANCEL ${id.slice(0, 8)}` });
    expect(await getAccount(deps.store, 'claire@agence-dubois.fr')).toEqual(before);
  });
});

describe('duplicates', () => {
  it('creates nothing and sends nothing for a Message-ID already received from the same sender', async () => {
    const mail = {
      from: CLAIRE,
      to: ['jeanne@client.fr'],
      subject: '*SIGN Contrat',
      messageId: '<same@agence-dubois.fr>',
      attachments: [{ filename: 'contrat.pdf', content: await makePdf(), contentType: 'application/pdf' }],
    };
    await deliver(mail);
    const sent = deps.sentMail.length;
    const outcome = await deliver(mail);
    expect([outcome, deps.sentMail.length]).toEqual([
      { status: 'ignored', reason: 'duplicate Message-ID from this sender' },
      sent,
    ]);
  });

  it('accepts the same Message-ID from another sender', async () => {
    const mail = {
      to: ['jeanne@client.fr'],
      subject: '*SIGN Contrat',
      messageId: '<same@example.fr>',
      attachments: [{ filename: 'contrat.pdf', content: await makePdf(), contentType: 'application/pdf' }],
    };
    await deliver({ ...mail, from: CLAIRE });
    expect((await deliver({ ...mail, from: 'Bob <bob@autre.fr>' })).status).toBe('accepted');
  });
});
