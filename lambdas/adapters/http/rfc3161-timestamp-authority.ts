// The TimestampAuthority port over HTTP (RFC 3161: POST application/timestamp-query). The services
// are tried in order, each with a short timeout; a service that fails (network, HTTP status,
// refusal, a token over another digest) is skipped for the next; when none gives a token the
// error is retryable (TrustServiceUnavailableError), never a silent seal without time-stamp.
import { randomBytes } from 'node:crypto';
import { createTimestampRequest, readTimestampResponse } from '../../core/pdf/timestamp-token.ts';
import { TrustServiceUnavailableError } from '../../core/pdf/trust-service-error.ts';
import type { TimestampAuthority } from '../../core/ports.ts';

export type CreateHttpTimestampAuthorityOptions = {
  urls: string[];
  /** Per service (default 5 s): a slow service is skipped, the next one tried. */
  timeoutMs?: number;
  fetch?: typeof fetch;
};

export function createHttpTimestampAuthority(options: CreateHttpTimestampAuthorityOptions): TimestampAuthority {
  if (options.urls.length === 0) throw new Error('At least one time-stamp authority URL is needed.');
  const timeoutMs = options.timeoutMs ?? 5000;
  const fetchImpl = options.fetch ?? fetch;
  return {
    describe: () => options.urls.map((url) => new URL(url).host).join(', '),
    async timestamp(digest) {
      const failures: string[] = [];
      let lastError: unknown;
      for (const url of options.urls) {
        const nonce = new Uint8Array(randomBytes(8));
        try {
          const response = await fetchImpl(url, {
            method: 'POST',
            headers: { 'content-type': 'application/timestamp-query', accept: 'application/timestamp-reply' },
            body: Buffer.from(createTimestampRequest({ digest, nonce })),
            signal: AbortSignal.timeout(timeoutMs),
          });
          if (!response.ok) throw new Error(`HTTP ${response.status}`);
          return readTimestampResponse({ response: new Uint8Array(await response.arrayBuffer()), digest, nonce });
        } catch (error) {
          lastError = error;
          failures.push(`${new URL(url).host}: ${(error as Error).message}`);
        }
      }
      throw new TrustServiceUnavailableError({
        message: `No time-stamp authority answered (${failures.join('; ')}).`,
        cause: lastError,
      });
    },
  };
}
