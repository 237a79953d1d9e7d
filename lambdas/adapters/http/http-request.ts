// One small HTTP(S) exchange over node:http with kept-alive connections, for the trust services
// (RFC 3161 time-stamps, CRLs). Global fetch (undici) is loaded and compiled on its first call,
// ~20-30 ms of a fresh Lambda's first certification; node:http is already loaded (the AWS SDK
// uses it), and a kept-alive connection spares the TCP (and TLS) set-up of every later request.
// openConnection makes that connection ahead of need (a function's initialisation); a request whose
// kept-alive socket turns out closed by the server is sent again, once, on a new one.
import http from 'node:http';
import https from 'node:https';

export type HttpRequestOptions = {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: Uint8Array;
  timeoutMs: number;
  /** Responses longer than this are refused (a CRL or a time-stamp reply is a few KB to a few MB). */
  maxBytes?: number;
};

export type HttpResponse = { status: number; body: Uint8Array };

const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 8 }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 8 }),
};

const DEFAULT_MAX_BYTES = 32 * 1024 * 1024;

/** Redirects followed for a GET (a CRL distribution point may have moved its file), as fetch would. */
const MAX_REDIRECTS = 3;

/**
 * A kept-alive socket the server had already closed: the request never reached it (a reset or a
 * broken pipe before any response), so it is sent again on a new connection.
 */
class StaleConnectionError extends Error {}

const STALE_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

async function exchangeOnLiveConnection(options: HttpRequestOptions): Promise<HttpResponse & { location?: string }> {
  try {
    return await exchange(options);
  } catch (error) {
    if (!(error instanceof StaleConnectionError)) throw error;
    return exchange(options);
  }
}

export async function requestBytes(options: HttpRequestOptions): Promise<HttpResponse> {
  let url = options.url;
  for (let redirects = 0; ; redirects += 1) {
    const response = await exchangeOnLiveConnection({ ...options, url });
    const location = response.location;
    if ((options.method ?? 'GET') !== 'GET' || !location || response.status < 300 || response.status > 399)
      return { status: response.status, body: response.body };
    if (redirects >= MAX_REDIRECTS) throw new Error(`Too many redirects from ${new URL(options.url).host}.`);
    url = new URL(location, url).toString();
  }
}

function exchange(options: HttpRequestOptions): Promise<HttpResponse & { location?: string }> {
  const url = new URL(options.url);
  const client = url.protocol === 'https:' ? https : url.protocol === 'http:' ? http : undefined;
  if (!client) return Promise.reject(new Error(`Unsupported protocol ${url.protocol}`));
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  return new Promise((resolve, reject) => {
    let settled = false;
    let responded = false;
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      reject(error);
      request.destroy();
    };
    const request = client.request(
      url,
      {
        method: options.method ?? 'GET',
        agent: agents[url.protocol as 'http:' | 'https:'],
        headers: {
          ...options.headers,
          ...(options.body ? { 'content-length': String(options.body.length) } : {}),
        },
      },
      (response) => {
        responded = true;
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) fail(new Error(`The response of ${url.host} is larger than ${maxBytes} bytes.`));
          else chunks.push(chunk);
        });
        response.on('end', () => {
          if (settled) return;
          settled = true;
          const body = Buffer.concat(chunks);
          resolve({
            status: response.statusCode ?? 0,
            body: new Uint8Array(body.buffer, body.byteOffset, body.length),
            location: response.headers.location,
          });
        });
        response.on('error', fail);
      },
    );
    // The whole exchange, not only an idle socket, is bounded by the timeout.
    const timer = setTimeout(
      () => fail(new Error(`${url.host} did not answer within ${options.timeoutMs} ms.`)),
      options.timeoutMs,
    );
    request.on('error', (error: NodeJS.ErrnoException) => {
      const stale = request.reusedSocket && !responded && STALE_CODES.has(error.code ?? '');
      fail(stale ? new StaleConnectionError(`${url.host} closed a kept-alive connection.`, { cause: error }) : error);
    });
    request.on('close', () => clearTimeout(timer));
    request.end(options.body);
  });
}

export type OpenConnectionOptions = { url: string; timeoutMs: number };

/**
 * Opens a kept-alive connection to the URL's server for the next request to use: a GET, whatever
 * its status (a time-stamp authority refuses it, 405 or 400, and keeps the connection). Not a HEAD:
 * node's client kept the socket of a HEAD answered by node's own server busy, never reused. A
 * failure is left for that request to meet.
 */
export async function openConnection(options: OpenConnectionOptions): Promise<void> {
  await requestBytes({ url: options.url, timeoutMs: options.timeoutMs, maxBytes: 64 * 1024 }).catch(() => undefined);
}
