// The RevocationSource port over HTTP: GETs a CRL distribution point (DER, or PEM), keeps it in
// memory until its nextUpdate (a warm Lambda or the local stack fetches each CRL once per
// validity period), and refuses a CRL that is already stale. Callers asking for a CRL that is
// being fetched share that one request: the Certify Lambda's initialisation starts the download of
// its seal chain's CRLs (prefetchChainCrls), and its first document waits on the same request
// instead of making a second one.
import { readCrlNextUpdate } from '../../core/pdf/x509-fields.ts';
import type { Clock, RevocationSource } from '../../core/ports.ts';
import { requestBytes } from './http-request.ts';

export type CreateHttpRevocationSourceOptions = {
  clock: Clock;
  timeoutMs?: number;
  /** A CRL without nextUpdate is kept this long (default 1 hour). */
  defaultTtlMs?: number;
};

function fromMaybePem(bytes: Uint8Array): Uint8Array {
  const text = Buffer.from(bytes).toString('latin1');
  if (!text.startsWith('-----BEGIN')) return bytes;
  return new Uint8Array(Buffer.from(text.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64'));
}

export function createHttpRevocationSource(options: CreateHttpRevocationSourceOptions): RevocationSource {
  const cache = new Map<string, { crl: Uint8Array; until: number }>();
  /** Requests under way, by URL (removed once settled: a failure is not kept). */
  const inFlight = new Map<string, Promise<Uint8Array>>();
  const timeoutMs = options.timeoutMs ?? 5000;
  const download = async (url: string): Promise<Uint8Array> => {
    const response = await requestBytes({ url, timeoutMs });
    if (response.status < 200 || response.status > 299)
      throw new Error(`CRL ${new URL(url).host}${new URL(url).pathname}: HTTP ${response.status}`);
    const crl = fromMaybePem(response.body);
    const now = options.clock.now().getTime();
    const until = readCrlNextUpdate(crl)?.getTime() ?? now + (options.defaultTtlMs ?? 60 * 60 * 1000);
    if (until <= now) throw new Error(`The CRL at ${url} is out of date (nextUpdate passed).`);
    cache.set(url, { crl, until });
    return crl;
  };
  return {
    async fetchCrl(url) {
      const cached = cache.get(url);
      if (cached && cached.until > options.clock.now().getTime()) return cached.crl;
      let request = inFlight.get(url);
      if (!request) {
        request = download(url).finally(() => inFlight.delete(url));
        inFlight.set(url, request);
      }
      return request;
    },
  };
}
