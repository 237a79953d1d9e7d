// Plays API Gateway (HTTP API, payload v2) for the local stack: turns a node http request into
// the same event the Lambda handlers get on AWS, and writes their result back.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DomainError } from '../core/errors.ts';
import type { HttpApiEvent, HttpApiHandler, HttpApiResult } from '../handlers/http/api-gateway-types.ts';

export type LocalHttpEvent = HttpApiEvent;
export type LocalHttpResult = HttpApiResult;
export type LocalHttpHandler = HttpApiHandler;

const MAX_BODY_BYTES = 6 * 1024 * 1024; // the Lambda synchronous payload limit

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) {
      // Like API Gateway in front of Lambda: refused as too large (413), not a server error.
      throw new DomainError({
        code: 'PAYLOAD_TOO_LARGE',
        message: `The request body is larger than ${MAX_BODY_BYTES} bytes.`,
        details: { limitBytes: MAX_BODY_BYTES },
      });
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function isText(contentType: string | undefined): boolean {
  return /^(text\/|application\/(json|problem\+json|x-www-form-urlencoded))/i.test(contentType ?? '');
}

export async function toHttpApiEvent(request: IncomingMessage): Promise<LocalHttpEvent> {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  const body = await readBody(request);
  const query = Object.fromEntries(url.searchParams.entries());
  const method = (request.method ?? 'GET').toUpperCase();
  const now = new Date();
  const host = (headers.host ?? 'localhost').replace(/:\d+$/, '');
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: url.pathname,
    rawQueryString: url.search.replace(/^\?/, ''),
    headers,
    ...(Object.keys(query).length > 0 && { queryStringParameters: query }),
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: host,
      domainPrefix: host.split('.')[0] ?? host,
      routeKey: '$default',
      stage: '$default',
      time: now.toUTCString(),
      http: {
        method,
        path: url.pathname,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: Math.random().toString(36).slice(2),
      timeEpoch: now.getTime(),
    },
    // Like API Gateway: text bodies arrive as they are, anything else base64-encoded.
    ...(body.length > 0 && { body: isText(headers['content-type']) ? body.toString('utf8') : body.toString('base64') }),
    isBase64Encoded: body.length > 0 && !isText(headers['content-type']),
  };
}

/** A path segment's %-escapes decoded; a malformed escape is the client's error (400), not ours. */
export function decodePathPart(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch (error) {
    throw new DomainError({ code: 'BAD_REQUEST', message: 'The path has a malformed %-escape.', cause: error });
  }
}

export function writeHttpApiResult(response: ServerResponse, result: LocalHttpResult): void {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[name] = String(value);
  if (result.cookies?.length) headers['set-cookie'] = result.cookies;
  response.writeHead(result.statusCode, headers);
  response.end(
    result.body === undefined ? undefined : Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8'),
  );
}
