// A tiny router: method + path pattern (`{name}` segments) to a route handler, with 404 and 405
// answered as problem details.
import { DomainError } from '../../core/errors.ts';
import type { HttpApiEvent, HttpApiResult } from './api-gateway-types.ts';
import { routeProblem } from './problem-responses.ts';

export type RouteHandler = (event: HttpApiEvent, params: Record<string, string>) => Promise<HttpApiResult>;
export type Route = { method: string; path: string; handler: RouteHandler };

function match(pattern: string, path: string): Record<string, string> | undefined {
  const expected = pattern.split('/');
  const actual = path.replace(/\/+$/, '').split('/');
  if (expected.length !== actual.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, segment] of expected.entries()) {
    const value = actual[index] ?? '';
    if (segment.startsWith('{') && segment.endsWith('}')) {
      if (value === '') return undefined;
      try {
        params[segment.slice(1, -1)] = decodeURIComponent(value);
      } catch (error) {
        throw new DomainError({ code: 'BAD_REQUEST', message: 'The path has a malformed %-escape.', cause: error });
      }
    } else if (segment !== value) return undefined;
  }
  return params;
}

export function createRouter(routes: Route[]): (event: HttpApiEvent) => Promise<HttpApiResult> {
  return async (event) => {
    const method = event.requestContext.http.method.toUpperCase();
    const path = event.rawPath || event.requestContext.http.path;
    const matching = routes.flatMap((route) => {
      const params = match(route.path, path);
      return params ? [{ route, params }] : [];
    });
    if (matching.length === 0) return routeProblem(404);
    const found = matching.find(({ route }) => route.method === method);
    if (!found) return routeProblem(405, [...new Set(matching.map(({ route }) => route.method))]);
    return found.route.handler(event, found.params);
  };
}
