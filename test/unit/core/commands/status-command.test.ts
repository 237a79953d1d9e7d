// *STATUS with many envelopes: a bounded, readable reply (most recent first, the count of the
// rest, the link to the customer area); closed envelopes older than 30 days are left out.
import { describe, expect, it } from 'vitest';
import { putEnvelope, putSigner, type Envelope } from '../../../../lambdas/core/envelopes/envelope-records.ts';
import { receiveSignRequest } from '../../../../lambdas/core/intake/receive-sign-request.ts';
import { createFakeDeps, type FakeDeps } from '../../../support/fake-deps.ts';
import { buildSignRequestMail } from '../../../support/mail-fixtures.ts';

const DAY = 86_400_000;
const EMAIL = 'claire@agence-dubois.fr';

async function seedEnvelope(deps: FakeDeps, index: number, overrides: Partial<Envelope> = {}): Promise<Envelope> {
  const createdAt = new Date(deps.clock.now().getTime() - (1000 - index) * 60_000);
  const envelope: Envelope = {
    id: `${index.toString(16).padStart(8, '0')}${'0'.repeat(24)}`,
    subject: `Contrat n° ${index}`,
    message: '',
    sender: { name: 'Claire', email: EMAIL },
    status: 'signing',
    createdAt: createdAt.toISOString(),
    expiresAt: new Date(createdAt.getTime() + 30 * DAY).toISOString(),
    signerCount: 1,
    currentPosition: 1,
    documents: [],
    rawMailKey: 'x',
    inboundMessageId: 'x',
    ...overrides,
  };
  await putEnvelope(deps.store, envelope, { ttl: 0 });
  await putSigner(
    deps.store,
    { envelopeId: envelope.id, position: 1, email: 'jeanne@client.fr', name: 'Jeanne', status: 'pending' },
    { ttl: 0 },
  );
  await deps.store.put({
    pk: `ACCOUNT#${EMAIL}`,
    sk: `ENV#${envelope.createdAt}#${envelope.id}`,
    kind: 'account-envelope',
    envelopeId: envelope.id,
  });
  return envelope;
}

async function askStatus(deps: FakeDeps) {
  const raw = await buildSignRequestMail({ from: `Claire <${EMAIL}>`, subject: '*STATUS' });
  await deps.rawMail.put({ key: 'status-1', body: raw, contentType: 'message/rfc822' });
  const outcome = await receiveSignRequest({ deps, messageId: 'status-1', verdicts: { dmarc: 'PASS' } });
  const [reply] = await deps.parseSentMail();
  return { outcome, reply };
}

describe('*STATUS with 500 envelopes', () => {
  it('lists the 20 most recent, says how many more there are and links to the area', async () => {
    const deps = createFakeDeps();
    for (let i = 1; i <= 500; i += 1) await seedEnvelope(deps, i);
    const { outcome, reply } = await askStatus(deps);
    const listed = [...(reply?.text ?? '').split('---')[0]!.matchAll(/Contrat n°\s(\d+)/g)].map((m) => Number(m[1]));
    expect(outcome).toEqual({ status: 'command', command: 'STATUS', result: 'listed 20 of 500' });
    expect(listed).toEqual(Array.from({ length: 20 }, (_, i) => 500 - i));
    expect(reply?.text).toContain(
      '… et 480 autres demandes, plus anciennes\u202f: toutes sont dans votre ' +
        'espace client, https://sign.example.test/account.html',
    );
    expect(reply?.text).toContain('… and 480 more, older requests');
    expect((reply?.text ?? '').length).toBeLessThan(12_000);
  });

  it('leaves out envelopes closed more than 30 days ago and keeps those closed since', async () => {
    const deps = createFakeDeps();
    const now = deps.clock.now().getTime();
    await seedEnvelope(deps, 1, { status: 'completed', completedAt: new Date(now - 31 * DAY).toISOString() });
    await seedEnvelope(deps, 2, {
      status: 'cancelled',
      cancelledAt: new Date(now - 2 * DAY).toISOString(),
    } as Partial<Envelope>);
    await seedEnvelope(deps, 3, {
      status: 'declined',
      declineReason: 'Montant faux',
      declinedAt: new Date(now - DAY).toISOString(),
    } as Partial<Envelope>);
    const { outcome, reply } = await askStatus(deps);
    expect(outcome).toMatchObject({ result: 'listed 2 of 2' });
    expect(reply?.text).toContain('«\u202fContrat n° 3\u202f» — refusée (0 signature sur 1)');
    expect(reply?.text).toContain('Motif du refus\u202f: Montant faux');
    expect(reply?.text).toContain('«\u202fContrat n° 2\u202f» — annulée');
    expect(reply?.text).not.toContain('Contrat n° 1\u202f»');
  });
});
