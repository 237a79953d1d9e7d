// The customer-area API through API Gateway v2 events: login without account enumeration, the
// single-use expiring login link, sessions, the account view, the ledger and owner-only downloads.
import { beforeEach, describe, expect, it } from 'vitest';
import { creditAccount } from '../../../lambdas/core/accounts/manage-account.ts';
import { envelopeKey } from '../../../lambdas/core/envelopes/envelope-records.ts';
import { issueToken } from '../../../lambdas/core/tokens/link-tokens.ts';
import { createAccountApiHandler } from '../../../lambdas/handlers/account-api.ts';
import { createFakeDeps, type FakeDeps } from '../../support/fake-deps.ts';
import { createEnvelopeFixture, type EnvelopeFixture } from '../core/signing/envelope-fixture.ts';
import { httpEvent, json } from './http-events.ts';

const OWNER = 'alice@sender.test';
const CERTIFIED = new TextEncoder().encode('%PDF-1.7 certified');
let deps: FakeDeps;
let handle: ReturnType<typeof createAccountApiHandler>;
let fixture: EnvelopeFixture;

/** The envelope as finalization leaves it: completed, with one certified PDF, indexed under its sender. */
async function completeEnvelope(): Promise<EnvelopeFixture> {
  const made = await createEnvelopeFixture(deps, { signers: 1 });
  const key = `envelopes/${made.envelope.id}/certified/doc-1.pdf`;
  await deps.documents.put({ key, body: CERTIFIED, contentType: 'application/pdf' });
  await deps.store.update(envelopeKey(made.envelope.id), {
    set: {
      status: 'completed',
      completedAt: deps.clock.now().toISOString(),
      certified: [{ documentId: 'doc-1', name: 'Devis signé.pdf', key, sha256: 'x', size: CERTIFIED.length }],
    },
  });
  await deps.store.put({
    pk: `ACCOUNT#${OWNER}`,
    sk: `ENV#${made.envelope.createdAt}#${made.envelope.id}`,
    kind: 'account-envelope',
    envelopeId: made.envelope.id,
  });
  return made;
}

async function loginToken(email = OWNER): Promise<string> {
  await handle(httpEvent('POST', '/api/account/login', { body: { email } }));
  const mails = await deps.parseSentMail();
  const match = /account\.html#t=([A-Za-z0-9_-]+)/.exec(mails.at(-1)?.text ?? '');
  if (!match?.[1]) throw new Error('No login link mailed');
  return match[1];
}

async function session(email = OWNER): Promise<string> {
  const result = await handle(httpEvent('POST', '/api/account/session', { token: await loginToken(email) }));
  return String(json(result).token);
}

beforeEach(async () => {
  deps = createFakeDeps();
  handle = createAccountApiHandler(() => deps);
  await creditAccount({ ...deps, email: OWNER, amountCents: 2500 });
  fixture = await completeEnvelope();
});

describe('POST /api/account/login', () => {
  it('answers 202 and mails a login link to an existing account', async () => {
    const result = await handle(httpEvent('POST', '/api/account/login', { body: { email: 'Alice@Sender.test' } }));
    expect([result.statusCode, deps.sentMail.map((m) => m.to)]).toEqual([202, [[OWNER]]]);
  });

  it('answers the same 202 for an unknown address and mails nothing', async () => {
    const known = await handle(httpEvent('POST', '/api/account/login', { body: { email: OWNER } }));
    const unknown = await handle(httpEvent('POST', '/api/account/login', { body: { email: 'nobody@else.test' } }));
    expect([unknown.statusCode, unknown.body, deps.sentMail.length]).toEqual([known.statusCode, known.body, 1]);
  });

  it('stops mailing links after five in an hour, still answering 202', async () => {
    const results = [];
    for (let i = 0; i < 7; i += 1)
      results.push((await handle(httpEvent('POST', '/api/account/login', { body: { email: OWNER } }))).statusCode);
    expect([new Set(results), deps.sentMail.length]).toEqual([new Set([202]), 5]);
  });

  it('answers 400 for something that is not an email address', async () => {
    expect((await handle(httpEvent('POST', '/api/account/login', { body: { email: 'nope' } }))).statusCode).toBe(400);
  });
});

describe('POST /api/account/session', () => {
  it('exchanges the login token for a 12-hour session', async () => {
    const result = await handle(httpEvent('POST', '/api/account/session', { token: await loginToken() }));
    const body = json(result);
    expect([result.statusCode, Date.parse(String(body.expiresAt)) - deps.clock.now().getTime()]).toEqual([
      200,
      12 * 3600 * 1000,
    ]);
  });

  it('accepts a login token only once', async () => {
    const token = await loginToken();
    await handle(httpEvent('POST', '/api/account/session', { token }));
    expect((await handle(httpEvent('POST', '/api/account/session', { token }))).statusCode).toBe(401);
  });

  it('answers 410 LINK_EXPIRED for a login token older than 15 minutes', async () => {
    const token = await loginToken();
    deps.advance(15 * 60 * 1000 + 1);
    const result = await handle(httpEvent('POST', '/api/account/session', { token }));
    expect([result.statusCode, json(result).code]).toEqual([410, 'LINK_EXPIRED']);
  });

  it('answers 401 for a signing token', async () => {
    const result = await handle(httpEvent('POST', '/api/account/session', { token: fixture.tokens[0] }));
    expect([result.statusCode, json(result).code]).toEqual([401, 'TOKEN_INVALID']);
  });
});

describe('GET /api/account and /api/account/ledger', () => {
  it('shows the balance, free signatures left and the envelopes with their certified documents', async () => {
    const body = json(await handle(httpEvent('GET', '/api/account', { token: await session() })));
    expect(body).toMatchObject({ email: OWNER, balanceCents: 2500, signaturesLast30Days: 0, freeSignaturesLeft: 9 });
    expect(body.envelopes).toEqual([
      expect.objectContaining({
        id: fixture.envelope.id,
        status: 'completed',
        signers: [{ position: 1, name: 'Signer 1', status: 'pending' }],
        documents: [
          {
            id: 'doc-1',
            name: 'Devis signé.pdf',
            url: `/api/account/envelopes/${fixture.envelope.id}/documents/doc-1`,
          },
        ],
      }),
    ]);
  });

  it('shows the reason given with a declined request', async () => {
    await deps.store.update(envelopeKey(fixture.envelope.id), {
      set: { status: 'declined', declineReason: 'Le montant ne correspond pas.' },
    });
    const body = json(await handle(httpEvent('GET', '/api/account', { token: await session() })));
    expect(body.envelopes).toEqual([
      expect.objectContaining({ status: 'declined', declineReason: 'Le montant ne correspond pas.', documents: [] }),
    ]);
  });

  it('lists the ledger entries', async () => {
    const body = json(await handle(httpEvent('GET', '/api/account/ledger', { token: await session() })));
    expect(body.entries).toEqual([
      expect.objectContaining({ type: 'credit', amountCents: 2500, balanceAfterCents: 2500 }),
    ]);
  });

  it('answers 401 with a login token instead of a session', async () => {
    expect((await handle(httpEvent('GET', '/api/account', { token: await loginToken() }))).statusCode).toBe(401);
  });

  it('answers 401 with a signing token', async () => {
    expect((await handle(httpEvent('GET', '/api/account', { token: fixture.tokens[0] }))).statusCode).toBe(401);
  });

  it('answers 410 once the session is over 12 hours old', async () => {
    const token = await session();
    deps.advance(12 * 3600 * 1000 + 1);
    expect((await handle(httpEvent('GET', '/api/account', { token }))).statusCode).toBe(410);
  });
});

describe('GET /api/account/envelopes/{id}/documents/{id}', () => {
  const path = () => `/api/account/envelopes/${fixture.envelope.id}/documents/doc-1`;

  it('gives the owner the certified PDF', async () => {
    const result = await handle(httpEvent('GET', path(), { token: await session() }));
    expect([
      result.statusCode,
      result.headers?.['content-type'],
      Buffer.from(result.body ?? '', 'base64').toString(),
    ]).toEqual([200, 'application/pdf', '%PDF-1.7 certified']);
  });

  it("answers 403 to another customer's session", async () => {
    await creditAccount({ ...deps, email: 'mallory@other.test', amountCents: 100 });
    const result = await handle(httpEvent('GET', path(), { token: await session('mallory@other.test') }));
    expect([result.statusCode, json(result).code]).toEqual([403, 'FORBIDDEN']);
  });

  it('answers 401 to a signing token of that very envelope', async () => {
    expect((await handle(httpEvent('GET', path(), { token: fixture.tokens[0] }))).statusCode).toBe(401);
  });

  it('answers 401 without a token', async () => {
    expect((await handle(httpEvent('GET', path()))).statusCode).toBe(401);
  });

  it('answers 404 for a document that is not certified', async () => {
    const result = await handle(
      httpEvent('GET', `/api/account/envelopes/${fixture.envelope.id}/documents/doc-2`, { token: await session() }),
    );
    expect(result.statusCode).toBe(404);
  });

  it('answers 401 to a login token (not a session)', async () => {
    const { token } = await issueToken({ ...deps, kind: 'login', ttlSeconds: 600, email: OWNER });
    expect((await handle(httpEvent('GET', path(), { token }))).statusCode).toBe(401);
  });
});

describe('GET /api/account/topup-terms', () => {
  it('answers from the VAT rate alone, without building the payment provider', async () => {
    const noProvider = () => {
      throw new Error('the payment provider must not be built for the terms');
    };
    const terms = createAccountApiHandler(() => deps, noProvider, { vatRateBasisPoints: () => 550 });

    const result = await terms(httpEvent('GET', '/api/account/topup-terms'));

    expect(result.statusCode).toBe(200);
    expect(json(result)).toMatchObject({ vatRateBasisPoints: 550 });
  });
});
