// The customer area's controls: POST /api/account/envelopes/{id}/cancel and /remind, with the
// same rules as the commands by mail (202 / 429 REMIND_THROTTLED with Retry-After / 200
// cancelled / 409 ENVELOPE_CLOSED / 404 for another customer's), and the view's new fields.
import { beforeEach, describe, expect, it } from 'vitest';
import { ensureAccount } from '../../../lambdas/core/accounts/account-records.ts';
import { getEnvelope } from '../../../lambdas/core/envelopes/envelope-records.ts';
import { createAccountApiHandler } from '../../../lambdas/handlers/account-api.ts';
import { createFakeDeps, type FakeDeps } from '../../support/fake-deps.ts';
import { createEnvelopeFixture, type EnvelopeFixture } from '../core/signing/envelope-fixture.ts';
import { httpEvent, json } from './http-events.ts';

const OWNER = 'alice@sender.test';
let deps: FakeDeps;
let handle: ReturnType<typeof createAccountApiHandler>;
let fixture: EnvelopeFixture;

async function session(email: string): Promise<string> {
  await ensureAccount({ ...deps, email });
  await handle(httpEvent('POST', '/api/account/login', { body: { email } }));
  const match = /account\.html#t=([A-Za-z0-9_-]+)/.exec((await deps.parseSentMail()).at(-1)?.text ?? '');
  const result = await handle(httpEvent('POST', '/api/account/session', { token: match?.[1] }));
  deps.sentMail.length = 0;
  return String(json(result).token);
}

const post = async (action: 'cancel' | 'remind', token: string, id = fixture.envelope.id) =>
  handle(httpEvent('POST', `/api/account/envelopes/${id}/${action}`, { token }));

beforeEach(async () => {
  deps = createFakeDeps();
  handle = createAccountApiHandler(() => deps);
  fixture = await createEnvelopeFixture(deps, { signers: 2 });
  const index = { pk: `ACCOUNT#${OWNER}`, sk: `ENV#${fixture.envelope.createdAt}#${fixture.envelope.id}` };
  await deps.store.put({ ...index, kind: 'account-envelope', envelopeId: fixture.envelope.id });
  // The same envelope indexed twice (a resumed intake) is still listed once.
  await deps.store.put({ ...index, sk: `${index.sk}x`, kind: 'account-envelope', envelopeId: fixture.envelope.id });
});

describe('POST /api/account/envelopes/{id}/remind', () => {
  it('answers 202 and mails the signer whose turn it is', async () => {
    const result = await post('remind', await session(OWNER));
    expect([result.statusCode, json(result).status, deps.sentMail.map((m) => m.to[0])]).toEqual([
      202,
      'sent',
      ['signer1@client.test'],
    ]);
  });

  it('answers 429 REMIND_THROTTLED with Retry-After within 24 hours', async () => {
    const token = await session(OWNER);
    await post('remind', token);
    deps.advance(3_600_000);
    const result = await post('remind', token);
    expect([result.statusCode, json(result).code, result.headers?.['retry-after']]).toEqual([
      429,
      'REMIND_THROTTLED',
      String(23 * 3600),
    ]);
  });

  it("answers 404 for another customer's envelope and sends nothing", async () => {
    const result = await post('remind', await session('mallory@other.test'));
    expect([result.statusCode, json(result).code, deps.sentMail]).toEqual([404, 'NOT_FOUND', []]);
  });
});

describe('POST /api/account/envelopes/{id}/cancel', () => {
  it('answers 200 {status: "cancelled"} and cancels', async () => {
    const result = await post('cancel', await session(OWNER));
    expect([result.statusCode, json(result), (await getEnvelope(deps.store, fixture.envelope.id))?.status]).toEqual([
      200,
      { status: 'cancelled' },
      'cancelled',
    ]);
  });

  it('answers 409 ENVELOPE_CLOSED for a closed envelope, to cancel and to remind', async () => {
    const token = await session(OWNER);
    await post('cancel', token);
    const codes = [await post('cancel', token), await post('remind', token)].map((r) => [r.statusCode, json(r).code]);
    expect(codes).toEqual([
      [409, 'ENVELOPE_CLOSED'],
      [409, 'ENVELOPE_CLOSED'],
    ]);
  });

  it("answers 404 for another customer's envelope and changes nothing", async () => {
    const result = await post('cancel', await session('mallory@other.test'));
    expect([result.statusCode, (await getEnvelope(deps.store, fixture.envelope.id))?.status]).toEqual([404, 'signing']);
  });
});

describe('GET /api/account', () => {
  it('lists each envelope once with its expiry date and whose turn it is', async () => {
    const view = json(await handle(httpEvent('GET', '/api/account', { token: await session(OWNER) })));
    expect(view.envelopes).toEqual([
      expect.objectContaining({ id: fixture.envelope.id, expiresAt: fixture.envelope.expiresAt, yourTurn: 1 }),
    ]);
  });

  it('shows expired once the date has passed, even before the sweep', async () => {
    deps.advance(31 * 86_400_000);
    const token = await session(OWNER);
    const view = json(await handle(httpEvent('GET', '/api/account', { token })));
    expect((view.envelopes as Array<{ status: string }>)[0]?.status).toBe('expired');
  });
});
