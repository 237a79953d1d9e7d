// Problem code -> message mapping, countdown parsing, and the API client's error shaping.
import { describe, expect, it } from 'vitest';
import { createApi, ApiError } from '../../web/src/api.ts';
import { MESSAGES } from '../../web/src/i18n.ts';
import { problemMessage, secondsUntil } from '../../web/src/problems.ts';

const CODES = [
  'TOKEN_INVALID',
  'LINK_EXPIRED',
  'NOT_YOUR_TURN',
  'PHONE_NOT_VERIFIED',
  'PLACEMENT_INVALID',
  'ALREADY_SIGNED',
  'CONSENT_REQUIRED',
  'IMAGE_INVALID',
  'ENVELOPE_CLOSED',
  'OTP_INVALID',
  'OTP_EXPIRED',
  'OTP_LOCKED',
  'OTP_THROTTLED',
  'PHONE_INVALID',
  'OTP_LIMIT_REACHED',
];

describe('problemMessage', () => {
  it('has a distinct, specific message for every code of the contract, in both languages', () => {
    for (const lang of ['fr', 'en'] as const) {
      const m = MESSAGES[lang];
      const texts = CODES.map((code) => problemMessage(m, { code }));
      expect(new Set(texts).size).toBe(CODES.length);
      for (const t of texts) expect(t).not.toBe(m.problems.UNKNOWN);
    }
  });

  it('adds the attempts left to OTP_INVALID', () => {
    expect(problemMessage(MESSAGES.fr, { code: 'OTP_INVALID', attemptsLeft: 2 })).toBe(
      'Code incorrect. Il vous reste 2 essais.',
    );
    expect(problemMessage(MESSAGES.en, { code: 'OTP_INVALID', attemptsLeft: 1 })).toBe('Wrong code. 1 try left.');
  });

  it('adds the wait to OTP_THROTTLED when known', () => {
    expect(problemMessage(MESSAGES.en, { code: 'OTP_THROTTLED' }, 12)).toContain('12 s');
  });

  it('falls back to a generic message for unknown codes', () => {
    expect(problemMessage(MESSAGES.fr, { code: 'SOMETHING_NEW' })).toBe(MESSAGES.fr.problems.UNKNOWN);
    expect(problemMessage(MESSAGES.fr, { code: 'toString' })).toBe(MESSAGES.fr.problems.UNKNOWN);
  });
});

describe('secondsUntil', () => {
  const now = Date.parse('2025-01-01T10:00:00Z');
  it('reads ISO instants and plain delays', () => {
    expect(secondsUntil('2025-01-01T10:00:30Z', now)).toBe(30);
    expect(secondsUntil('2025-01-01T09:59:00Z', now)).toBe(0);
    expect(secondsUntil(45, now)).toBe(45);
    expect(secondsUntil('20', now)).toBe(20);
    expect(secondsUntil(now + 5000, now)).toBe(5);
    expect(secondsUntil(undefined, now)).toBeUndefined();
    expect(secondsUntil('not a date', now)).toBeUndefined();
  });
});

describe('createApi', () => {
  const problem = (status: number, body: unknown, headers: Record<string, string> = {}): Response =>
    new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/problem+json', ...headers } });

  it('sends the Bearer token and JSON', async () => {
    const calls: Array<{ url: string; init: RequestInit }> = [];
    const api = createApi({
      resolve: (p) => `https://api.example${p}`,
      token: 'tok',
      fetchFn: async (url, init) => {
        calls.push({ url: String(url), init: init ?? {} });
        return new Response(JSON.stringify({ ok: 1 }), { status: 200 });
      },
    });
    expect(await api.post('/api/signing/otp', { phone: '+33612345678' })).toEqual({ ok: 1 });
    const headers = calls[0]?.init.headers as Record<string, string>;
    expect(calls[0]?.url).toBe('https://api.example/api/signing/otp');
    expect(headers.Authorization).toBe('Bearer tok');
    expect(headers['Content-Type']).toBe('application/json');
    expect(calls[0]?.init.body).toBe('{"phone":"+33612345678"}');
  });

  it('turns problem+json into ApiError with code and extras', async () => {
    const api = createApi({
      resolve: (p) => p,
      token: 't',
      fetchFn: async () =>
        problem(422, { type: 'about:blank', title: 'Wrong', status: 422, code: 'OTP_INVALID', attemptsLeft: 3 }),
    });
    const err = await api.post('/x', {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe('OTP_INVALID');
    expect((err as ApiError).problem.attemptsLeft).toBe(3);
  });

  it('maps bare 401/410 and network failures to codes', async () => {
    const mk = (f: typeof fetch) => createApi({ resolve: (p) => p, token: 't', fetchFn: f });
    const failure = (p: Promise<unknown>): Promise<ApiError> =>
      p.then(
        () => {
          throw new Error('expected a failure');
        },
        (e: unknown) => e as ApiError,
      );
    const e401 = await failure(mk(async () => new Response('nope', { status: 401 })).get('/x'));
    expect(e401.code).toBe('TOKEN_INVALID');
    const e410 = await failure(mk(async () => new Response('', { status: 410 })).get('/x'));
    expect(e410.code).toBe('LINK_EXPIRED');
    const eNet = await failure(
      mk(async () => {
        throw new TypeError('Failed to fetch');
      }).get('/x'),
    );
    expect(eNet.code).toBe('NETWORK');
    const e429 = await failure(
      mk(async () => problem(429, { code: 'OTP_THROTTLED', status: 429 }, { 'Retry-After': '17' })).post('/x', {}),
    );
    expect(e429.code).toBe('OTP_THROTTLED');
    expect(e429.retryAfterSeconds).toBe(17);
  });
});
