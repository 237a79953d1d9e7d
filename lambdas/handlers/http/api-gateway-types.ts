// The API Gateway HTTP API (payload format 2.0) shapes the handlers use, from @types/aws-lambda.
// The local gateway (runtime/local-http-gateway.ts) builds the same events.
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

/** Header names are lowercase; repeated headers are joined with commas. */
export type HttpApiEvent = APIGatewayProxyEventV2;

/** The structured result, with the status code every handler of ours sets. */
export type HttpApiResult = APIGatewayProxyStructuredResultV2 & { statusCode: number };

export type HttpApiHandler = (event: HttpApiEvent) => Promise<HttpApiResult>;
