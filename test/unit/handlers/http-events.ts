// API Gateway HTTP API v2 events as the local gateway and AWS build them, for handler tests.
import type { HttpApiEvent, HttpApiResult } from '../../../lambdas/handlers/http/api-gateway-types.ts';

export type EventOptions = { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> };

export function httpEvent(method: string, path: string, options: EventOptions = {}): HttpApiEvent {
  const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: '',
    headers: {
      'user-agent': 'Mozilla/5.0 (handler test)',
      ...(body !== undefined && { 'content-type': 'application/json' }),
      ...(options.token !== undefined && { authorization: `Bearer ${options.token}` }),
      ...options.headers,
    },
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      domainName: 'api.example.test',
      domainPrefix: 'api',
      routeKey: '$default',
      stage: '$default',
      time: new Date().toUTCString(),
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '198.51.100.4', userAgent: 'Mozilla/5.0 (handler test)' },
      requestId: 'req-1',
      timeEpoch: Date.now(),
    },
    ...(body !== undefined && { body }),
    isBase64Encoded: false,
  };
}

export const json = (result: HttpApiResult): Record<string, unknown> =>
  JSON.parse(result.body ?? 'null') as Record<string, unknown>;
