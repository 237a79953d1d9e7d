// HTTP client for the signing API: adds the Bearer token, sends JSON, and turns every failure into
// an ApiError carrying the RFC 9457 problem `code`, so callers branch on codes, never on text.
import type { Problem } from './types.ts';

export class ApiError extends Error {
  readonly problem: Problem;
  /** Seconds from a Retry-After header, when the server sent one. */
  readonly retryAfterSeconds: number | undefined;

  constructor(problem: Problem, retryAfterSeconds?: number, options?: { cause?: unknown }) {
    super(`${problem.status} ${problem.code}`, options);
    this.name = 'ApiError';
    this.problem = problem;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  get code(): string {
    return this.problem.code;
  }
}

export interface ApiClient {
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body: unknown): Promise<T>;
  bytes(url: string): Promise<ArrayBuffer>;
}

export function createApi(opts: {
  resolve: (path: string) => string;
  token: string;
  fetchFn?: typeof fetch;
}): ApiClient {
  const fetchFn = opts.fetchFn ?? ((input, init) => fetch(input, init));
  const headers = (extra: Record<string, string> = {}): Record<string, string> => ({
    Authorization: `Bearer ${opts.token}`,
    ...extra,
  });

  async function send(path: string, init: RequestInit): Promise<Response> {
    let res: Response;
    try {
      // credentials: 'omit' because the token is the only credential; no cookies cross origins.
      res = await fetchFn(opts.resolve(path), { ...init, credentials: 'omit', cache: 'no-store' });
    } catch (cause) {
      throw new ApiError({ status: 0, code: 'NETWORK' }, undefined, { cause });
    }
    if (!res.ok) throw await toApiError(res);
    return res;
  }

  return {
    async get<T>(path: string): Promise<T> {
      const res = await send(path, { method: 'GET', headers: headers({ Accept: 'application/json' }) });
      return (await res.json()) as T;
    },
    async post<T>(path: string, body: unknown): Promise<T> {
      const res = await send(path, {
        method: 'POST',
        headers: headers({ Accept: 'application/json', 'Content-Type': 'application/json' }),
        body: JSON.stringify(body),
      });
      const text = await res.text();
      return (text ? JSON.parse(text) : {}) as T;
    },
    async bytes(url: string): Promise<ArrayBuffer> {
      const res = await send(url, { method: 'GET', headers: headers({ Accept: 'application/pdf' }) });
      return res.arrayBuffer();
    },
  };
}

export async function toApiError(res: Response): Promise<ApiError> {
  let body: Partial<Problem> = {};
  try {
    body = (await res.json()) as Partial<Problem>;
  } catch {
    // Not JSON (a proxy's HTML error page): the status alone decides below.
  }
  const code = typeof body.code === 'string' && body.code ? body.code : fallbackCode(res.status);
  const retry = Number(res.headers.get('Retry-After'));
  return new ApiError({ ...body, status: res.status, code }, Number.isFinite(retry) && retry > 0 ? retry : undefined);
}

function fallbackCode(status: number): string {
  if (status === 401) return 'TOKEN_INVALID';
  if (status === 410) return 'LINK_EXPIRED';
  return 'UNKNOWN';
}
