// The few API Gateway HTTP API (payload format 2.0) shapes the handlers use; @types/aws-lambda
// is not a dependency. The local gateway (runtime/local-http-gateway.ts) builds the same events.

export type HttpApiEvent = {
  version: '2.0';
  routeKey?: string;
  rawPath: string;
  rawQueryString?: string;
  /** Lowercase names; repeated headers joined with commas. */
  headers?: Record<string, string | undefined>;
  queryStringParameters?: Record<string, string | undefined>;
  pathParameters?: Record<string, string | undefined>;
  requestContext: {
    http: { method: string; path: string; protocol?: string; sourceIp: string; userAgent: string };
    requestId?: string;
    timeEpoch?: number;
  };
  body?: string;
  isBase64Encoded: boolean;
};

export type HttpApiResult = {
  statusCode: number;
  headers?: Record<string, string>;
  body?: string;
  isBase64Encoded?: boolean;
  cookies?: string[];
};

export type HttpApiHandler = (event: HttpApiEvent) => Promise<HttpApiResult>;
