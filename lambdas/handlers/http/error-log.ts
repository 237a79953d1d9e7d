// One log line per unexpected failure: the route and the error, never headers (the bearer
// token), bodies (codes, phone numbers) or query strings.
import type { HttpApiEvent } from './api-gateway-types.ts';

export function logUnexpectedError(event: HttpApiEvent, error: unknown): void {
  const failure =
    error instanceof Error
      ? { name: error.name, message: error.message, stack: error.stack }
      : { value: String(error) };
  console.error(
    JSON.stringify({
      event: 'http.unexpected-error',
      method: event.requestContext.http.method,
      path: event.rawPath,
      requestId: event.requestContext.requestId,
      error: failure,
    }),
  );
}
