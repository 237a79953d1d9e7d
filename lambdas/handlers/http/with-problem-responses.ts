// Wraps a router so every thrown error becomes its problem+json answer (one mapping table);
// only errors the table does not know are logged, without the request's secrets.
import type { HttpApiEvent, HttpApiHandler } from './api-gateway-types.ts';
import { logUnexpectedError } from './error-log.ts';
import { problemFromError } from './problem-responses.ts';

export function withProblemResponses(route: HttpApiHandler): HttpApiHandler {
  return async (event: HttpApiEvent) => {
    try {
      return await route(event);
    } catch (error) {
      const { response, unexpected } = problemFromError(error);
      if (unexpected) logUnexpectedError(event, error);
      return response;
    }
  };
}
