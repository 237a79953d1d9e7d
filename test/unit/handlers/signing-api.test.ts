// The signing API through API Gateway v2 events: routes, status codes, problem+json, precedence.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSigningApiHandler } from '../../../lambdas/handlers/signing-api.ts';
import { issueToken } from '../../../lambdas/core/tokens/link-tokens.ts';
import { createFakeDeps, type FakeDeps } from '../../support/fake-deps.ts';
import {
  createEnvelopeFixture,
  lastSmsCode,
  TEST_PHONE,
  validSubmission,
  type EnvelopeFixture,
} from '../core/signing/envelope-fixture.ts';
import { httpEvent, json } from './http-events.ts';

let deps: FakeDeps;
let fixture: EnvelopeFixture;
let handle: ReturnType<typeof createSigningApiHandler>;
let first: string;

beforeEach(async () => {
  deps = createFakeDeps();
  fixture = await createEnvelopeFixture(deps);
  handle = createSigningApiHandler(() => deps);
  first = fixture.tokens[0] ?? '';
});

afterEach(() => {
  vi.restoreAllMocks();
});

const verifyPhoneOverHttp = async (token: string) => {
  await handle(httpEvent('POST', '/api/signing/otp', { token, body: { phone: TEST_PHONE } }));
  return handle(httpEvent('POST', '/api/signing/otp/verify', { token, body: { code: lastSmsCode(deps) } }));
};

describe('GET /api/signing', () => {
  it('answers 200 with the view as JSON', async () => {
    const result = await handle(httpEvent('GET', '/api/signing', { token: first }));
    expect([result.statusCode, result.headers?.['content-type'], json(result).you]).toEqual([
      200,
      'application/json; charset=utf-8',
      expect.objectContaining({ position: 1, yourTurn: true }),
    ]);
  });

  it('answers 401 TOKEN_INVALID as problem+json without a token', async () => {
    const result = await handle(httpEvent('GET', '/api/signing'));
    expect([result.statusCode, result.headers?.['content-type'], json(result)]).toEqual([
      401,
      'application/problem+json; charset=utf-8',
      {
        type: 'urn:mailsign:problem:token-invalid',
        title: 'Invalid link',
        status: 401,
        detail: expect.any(String),
        code: 'TOKEN_INVALID',
      },
    ]);
  });

  it('answers 401 for an unknown token', async () => {
    const result = await handle(httpEvent('GET', '/api/signing', { token: 'x'.repeat(32) }));
    expect(result.statusCode).toBe(401);
  });

  it('answers 401 for a token of another kind', async () => {
    const { token } = await issueToken({ ...deps, kind: 'session', ttlSeconds: 3600, email: 'alice@sender.test' });
    const result = await handle(httpEvent('GET', '/api/signing', { token }));
    expect([result.statusCode, json(result).code]).toEqual([401, 'TOKEN_INVALID']);
  });

  it('answers 410 LINK_EXPIRED for an expired link', async () => {
    deps.advance(deps.settings.linkTtlDays * 86_400_000);
    const result = await handle(httpEvent('GET', '/api/signing', { token: first }));
    expect([result.statusCode, json(result).code]).toEqual([410, 'LINK_EXPIRED']);
  });

  it('answers 200 for a declined envelope', async () => {
    await handle(httpEvent('POST', '/api/signing/decline', { token: first, body: { reason: 'Non.' } }));
    const result = await handle(httpEvent('GET', '/api/signing', { token: first }));
    expect([result.statusCode, (json(result).envelope as { status: string }).status]).toEqual([200, 'declined']);
  });

  it('is never cached', async () => {
    const result = await handle(httpEvent('GET', '/api/signing', { token: first }));
    expect(result.headers?.['cache-control']).toBe('no-store');
  });
});

describe('GET /api/signing/documents/{id}', () => {
  it('answers the PDF base64-encoded, inline, with its UTF-8 file name', async () => {
    const result = await handle(httpEvent('GET', '/api/signing/documents/doc-2', { token: first }));
    expect([
      result.statusCode,
      result.isBase64Encoded,
      result.headers?.['content-type'],
      result.headers?.['content-disposition'],
    ]).toEqual([200, true, 'application/pdf', "inline; filename*=UTF-8''Conditions%20g%C3%A9n%C3%A9rales.pdf"]);
  });

  it('answers the exact original bytes', async () => {
    const result = await handle(httpEvent('GET', '/api/signing/documents/doc-1', { token: first }));
    expect(new Uint8Array(Buffer.from(result.body ?? '', 'base64'))).toEqual(
      await deps.documents.get(fixture.envelope.documents[0]?.key ?? ''),
    );
  });

  it('answers 404 DOCUMENT_NOT_FOUND for another id', async () => {
    const result = await handle(httpEvent('GET', '/api/signing/documents/nope', { token: first }));
    expect([result.statusCode, json(result).code]).toEqual([404, 'DOCUMENT_NOT_FOUND']);
  });
});

describe('OTP routes', () => {
  it('answers 202 with expiresAt and resendAfter', async () => {
    const result = await handle(httpEvent('POST', '/api/signing/otp', { token: first, body: { phone: TEST_PHONE } }));
    expect([result.statusCode, Object.keys(json(result))]).toEqual([202, ['expiresAt', 'resendAfter']]);
  });

  it('answers 429 OTP_THROTTLED with retryAfter and a Retry-After header', async () => {
    await handle(httpEvent('POST', '/api/signing/otp', { token: first, body: { phone: TEST_PHONE } }));
    const result = await handle(httpEvent('POST', '/api/signing/otp', { token: first, body: { phone: TEST_PHONE } }));
    expect([result.statusCode, json(result).retryAfter, result.headers?.['retry-after']]).toEqual([429, 30, '30']);
  });

  it('answers 422 PHONE_INVALID for a fixed line', async () => {
    const result = await handle(
      httpEvent('POST', '/api/signing/otp', { token: first, body: { phone: '01 23 45 67 89' } }),
    );
    expect([result.statusCode, json(result).code]).toEqual([422, 'PHONE_INVALID']);
  });

  it('answers 200 {verified: true} for the right code', async () => {
    const result = await verifyPhoneOverHttp(first);
    expect([result.statusCode, json(result)]).toEqual([200, { verified: true }]);
  });

  it('answers 422 OTP_INVALID with attemptsLeft for a wrong code', async () => {
    await handle(httpEvent('POST', '/api/signing/otp', { token: first, body: { phone: TEST_PHONE } }));
    const wrong = lastSmsCode(deps) === '000000' ? '111111' : '000000';
    const result = await handle(httpEvent('POST', '/api/signing/otp/verify', { token: first, body: { code: wrong } }));
    expect([result.statusCode, json(result).code, json(result).attemptsLeft]).toEqual([422, 'OTP_INVALID', 4]);
  });

  it('answers 409 NOT_YOUR_TURN to the second signer', async () => {
    const result = await handle(
      httpEvent('POST', '/api/signing/otp', { token: fixture.tokens[1], body: { phone: TEST_PHONE } }),
    );
    expect([result.statusCode, json(result).code]).toEqual([409, 'NOT_YOUR_TURN']);
  });
});

describe('POST /api/signing/signature', () => {
  it('answers 200 {status: "signed"}', async () => {
    await verifyPhoneOverHttp(first);
    const result = await handle(
      httpEvent('POST', '/api/signing/signature', { token: first, body: validSubmission(fixture.envelope) }),
    );
    expect([result.statusCode, json(result)]).toEqual([200, { status: 'signed' }]);
  });

  it('answers 403 PHONE_NOT_VERIFIED before checking the body', async () => {
    const result = await handle(
      httpEvent('POST', '/api/signing/signature', { token: first, body: { consent: false } }),
    );
    expect([result.statusCode, json(result).code]).toEqual([403, 'PHONE_NOT_VERIFIED']);
  });

  it('answers 409 NOT_YOUR_TURN before PHONE_NOT_VERIFIED and CONSENT_REQUIRED', async () => {
    const result = await handle(httpEvent('POST', '/api/signing/signature', { token: fixture.tokens[1], body: {} }));
    expect([result.statusCode, json(result).code]).toEqual([409, 'NOT_YOUR_TURN']);
  });

  it('answers 409 ENVELOPE_CLOSED before ALREADY_SIGNED', async () => {
    await verifyPhoneOverHttp(first);
    await handle(
      httpEvent('POST', '/api/signing/signature', { token: first, body: validSubmission(fixture.envelope) }),
    );
    await handle(httpEvent('POST', '/api/signing/decline', { token: fixture.tokens[1], body: { reason: 'Non.' } }));
    const result = await handle(
      httpEvent('POST', '/api/signing/signature', { token: first, body: validSubmission(fixture.envelope) }),
    );
    expect([result.statusCode, json(result).code]).toEqual([409, 'ENVELOPE_CLOSED']);
  });

  it('answers 422 PLACEMENT_INVALID with the reason', async () => {
    await verifyPhoneOverHttp(first);
    const body = {
      ...validSubmission(fixture.envelope),
      placements: [{ documentId: 'doc-1', page: 9, x: 0, y: 0, width: 0.2, height: 0.1 }],
    };
    const result = await handle(httpEvent('POST', '/api/signing/signature', { token: first, body }));
    expect([result.statusCode, json(result).code, json(result).reason]).toEqual([
      422,
      'PLACEMENT_INVALID',
      'page_out_of_range',
    ]);
  });

  it('answers 400 BAD_REQUEST for malformed JSON', async () => {
    const result = await handle(
      httpEvent('POST', '/api/signing/signature', { token: first, rawBody: '{"consent": tru' }),
    );
    expect([result.statusCode, json(result).code]).toEqual([400, 'BAD_REQUEST']);
  });

  it('reads a base64-encoded body', async () => {
    const event = httpEvent('POST', '/api/signing/decline', { token: first });
    const result = await handle({
      ...event,
      body: Buffer.from(JSON.stringify({ reason: 'Non.' })).toString('base64'),
      isBase64Encoded: true,
    });
    expect(result.statusCode).toBe(200);
  });
});

describe('POST /api/signing/decline', () => {
  it('answers 422 REASON_REQUIRED without a reason', async () => {
    const result = await handle(httpEvent('POST', '/api/signing/decline', { token: first, body: {} }));
    expect([result.statusCode, json(result).code]).toEqual([422, 'REASON_REQUIRED']);
  });

  it('makes later signing actions answer 409 ENVELOPE_CLOSED with the envelope status', async () => {
    await handle(httpEvent('POST', '/api/signing/decline', { token: first, body: { reason: 'Non.' } }));
    const result = await handle(httpEvent('POST', '/api/signing/otp', { token: first, body: { phone: TEST_PHONE } }));
    expect([result.statusCode, json(result).code, json(result).envelopeStatus]).toEqual([
      409,
      'ENVELOPE_CLOSED',
      'declined',
    ]);
  });
});

describe('routing and failures', () => {
  it('answers 404 for an unknown path', async () => {
    const result = await handle(httpEvent('GET', '/api/signing/unknown', { token: first }));
    expect([result.statusCode, json(result).code]).toEqual([404, 'NOT_FOUND']);
  });

  it('answers 405 with Allow for a wrong method', async () => {
    const result = await handle(httpEvent('DELETE', '/api/signing', { token: first }));
    expect([result.statusCode, result.headers?.allow]).toEqual([405, 'GET']);
  });

  it('answers 500 without internals when a port fails', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    deps.store.get = async () => {
      throw new Error('dynamodb://secret-table exploded');
    };
    const result = await handle(httpEvent('GET', '/api/signing', { token: first }));
    expect([result.statusCode, json(result).code, result.body?.includes('secret-table')]).toEqual([
      500,
      'INTERNAL',
      false,
    ]);
  });

  it('never logs the token when a request fails', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    deps.store.get = async () => {
      throw new Error('boom');
    };
    await handle(httpEvent('GET', '/api/signing', { token: first }));
    expect(JSON.stringify(log.mock.calls)).not.toContain(first);
  });
});
