// Reading what a request carries: the bearer token, the JSON body, and who is calling.
import { DomainError } from '../../core/errors.ts';
import type { HttpApiEvent } from './api-gateway-types.ts';

/** The token from `Authorization: Bearer <token>`; undefined lets the use case answer 401. */
export function bearerToken(event: HttpApiEvent): string | undefined {
  const header = event.headers?.authorization ?? event.headers?.Authorization;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}

/**
 * The body as a JSON object. Malformed JSON is 400 BAD_REQUEST; an empty body reads as {} so the
 * use case reports the missing field with its own code, in the design's precedence order.
 */
export function jsonBody(event: HttpApiEvent): Record<string, unknown> {
  const raw =
    event.body === undefined
      ? ''
      : event.isBase64Encoded
        ? Buffer.from(event.body, 'base64').toString('utf8')
        : event.body;
  if (raw.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    throw new DomainError({ code: 'BAD_REQUEST', message: 'The request body is not valid JSON.', cause: error });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new DomainError({ code: 'BAD_REQUEST', message: 'The request body must be a JSON object.' });
  }
  return parsed as Record<string, unknown>;
}

/** The page calls the HTTP API directly, so API Gateway's sourceIp is the signer's address. */
export function clientInfo(event: HttpApiEvent): { ip: string; userAgent: string } {
  const { sourceIp, userAgent } = event.requestContext.http;
  return { ip: sourceIp || 'unknown', userAgent: (userAgent || event.headers?.['user-agent'] || '').slice(0, 512) };
}
