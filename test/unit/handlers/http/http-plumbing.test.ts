// The shared HTTP pieces: bearer extraction, JSON bodies, the error table, the router.
import { describe, expect, it } from 'vitest';
import { ConditionFailedError, DomainError, type DomainErrorCode } from '../../../../lambdas/core/errors.ts';
import { PROBLEMS, problemFromError } from '../../../../lambdas/handlers/http/problem-responses.ts';
import { bearerToken, clientInfo, jsonBody } from '../../../../lambdas/handlers/http/request.ts';
import { contentDisposition, jsonResponse } from '../../../../lambdas/handlers/http/responses.ts';
import { createRouter } from '../../../../lambdas/handlers/http/router.ts';
import { httpEvent, json } from '../http-events.ts';

describe('bearerToken', () => {
  it('reads the token after "Bearer"', () => {
    expect(bearerToken(httpEvent('GET', '/', { token: 'abc_DEF-123' }))).toBe('abc_DEF-123');
  });

  it('ignores other schemes', () => {
    expect(bearerToken(httpEvent('GET', '/', { headers: { authorization: 'Basic YTpi' } }))).toBeUndefined();
  });
});

describe('jsonBody', () => {
  it('reads an empty body as an empty object', () => {
    expect(jsonBody(httpEvent('POST', '/'))).toEqual({});
  });

  it('refuses a JSON array with BAD_REQUEST', () => {
    expect(() => jsonBody(httpEvent('POST', '/', { rawBody: '[1]' }))).toThrow(
      expect.objectContaining({ code: 'BAD_REQUEST' }),
    );
  });
});

describe('clientInfo', () => {
  it('takes the source IP and user agent from the request context', () => {
    expect(clientInfo(httpEvent('GET', '/'))).toEqual({ ip: '198.51.100.4', userAgent: 'Mozilla/5.0 (handler test)' });
  });
});

describe('contentDisposition', () => {
  it('percent-encodes quotes and parentheses too', () => {
    expect(contentDisposition('inline', "l'offre (v2).pdf")).toBe("inline; filename*=UTF-8''l%27offre%20%28v2%29.pdf");
  });
});

describe('problemFromError', () => {
  it('maps every domain code to a 4xx or 5xx status', () => {
    expect(Object.values(PROBLEMS).every(({ status }) => status >= 400 && status < 600)).toBe(true);
  });

  it('keeps details but never lets them overwrite the standard members', () => {
    const error = new DomainError({
      code: 'OTP_INVALID' as DomainErrorCode,
      message: 'Wrong',
      details: { attemptsLeft: 2, status: 200 },
    });
    expect(json(problemFromError(error).response)).toMatchObject({ status: 422, code: 'OTP_INVALID', attemptsLeft: 2 });
  });

  it('maps a lost conditional write to 409 CONFLICT', () => {
    expect(problemFromError(new ConditionFailedError('lost')).response.statusCode).toBe(409);
  });

  it('flags unknown errors as unexpected 500s', () => {
    const { response, unexpected } = problemFromError(new TypeError('x is undefined'));
    expect([response.statusCode, unexpected, json(response).detail]).toEqual([
      500,
      true,
      'Something went wrong on our side. Please try again later.',
    ]);
  });
});

describe('createRouter', () => {
  const route = createRouter([
    { method: 'GET', path: '/items/{id}', handler: async (_e, params) => jsonResponse(200, params) },
  ]);

  it('passes decoded path parameters', async () => {
    expect(json(await route(httpEvent('GET', '/items/a%20b')))).toEqual({ id: 'a b' });
  });

  it('tolerates a trailing slash', async () => {
    expect((await route(httpEvent('GET', '/items/1/'))).statusCode).toBe(200);
  });

  it('answers 404 when no pattern matches', async () => {
    expect((await route(httpEvent('GET', '/items'))).statusCode).toBe(404);
  });
});
