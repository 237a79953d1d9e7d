// Building API Gateway results: JSON, binary, redirects and RFC 9457 problem details.
// Every API answer is private to its bearer: never cached by browsers or CDNs.
import type { HttpApiResult } from './api-gateway-types.ts';

const COMMON_HEADERS = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' } as const;

export function jsonResponse(statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpApiResult {
  return {
    statusCode,
    headers: { ...COMMON_HEADERS, 'content-type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(body),
  };
}

export type ProblemBody = { type: string; title: string; status: number; detail: string; code: string } & Record<
  string,
  unknown
>;

export function problemResponse(problem: ProblemBody, headers: Record<string, string> = {}): HttpApiResult {
  return {
    statusCode: problem.status,
    headers: { ...COMMON_HEADERS, 'content-type': 'application/problem+json; charset=utf-8', ...headers },
    body: JSON.stringify(problem),
  };
}

/** RFC 5987/6266 `filename*`: UTF-8, percent-encoding everything outside attr-char. */
export function contentDisposition(disposition: 'inline' | 'attachment', fileName: string): string {
  const encoded = encodeURIComponent(fileName).replace(
    /['()*!]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${disposition}; filename*=UTF-8''${encoded}`;
}

export function binaryResponse(options: { body: Uint8Array; contentType: string; fileName: string }): HttpApiResult {
  return {
    statusCode: 200,
    headers: {
      ...COMMON_HEADERS,
      'content-type': options.contentType,
      'content-disposition': contentDisposition('inline', options.fileName),
    },
    body: Buffer.from(options.body).toString('base64'),
    isBase64Encoded: true,
  };
}

export function redirectResponse(location: string): HttpApiResult {
  return { statusCode: 302, headers: { ...COMMON_HEADERS, location } };
}
