// The TimestampAuthority port over HTTP (RFC 3161: POST application/timestamp-query). The services
// are tried in order, each with a short timeout; a service that fails (network, HTTP status,
// refusal, a token over another digest) is skipped for the next; when none gives a token the
// error is retryable (TrustServiceUnavailableError), never a silent seal without time-stamp.
// connect() opens the first service's connection at a function's initialisation.
import { randomBytes } from 'node:crypto';
import { openConnection, requestBytes } from './http-request.ts';
import { createTimestampRequest, readTimestampResponse } from '../../core/pdf/timestamp-token.ts';
import { TrustServiceUnavailableError } from '../../core/pdf/trust-service-error.ts';
import type { TimestampAuthority } from '../../core/ports.ts';

export type CreateHttpTimestampAuthorityOptions = {
  urls: string[];
  /** Per service (default 5 s): a slow service is skipped, the next one tried. */
  timeoutMs?: number;
};

export function createHttpTimestampAuthority(options: CreateHttpTimestampAuthorityOptions): TimestampAuthority {
  if (options.urls.length === 0) throw new Error('At least one time-stamp authority URL is needed.');
  const timeoutMs = options.timeoutMs ?? 5000;
  return {
    describe: () => options.urls.map((url) => new URL(url).host).join(', '),
    connect: () => openConnection({ url: options.urls[0]!, timeoutMs }),
    async timestamp(digest) {
      const failures: string[] = [];
      let lastError: unknown;
      for (const url of options.urls) {
        const nonce = new Uint8Array(randomBytes(8));
        try {
          const response = await requestBytes({
            url,
            method: 'POST',
            headers: { 'content-type': 'application/timestamp-query', accept: 'application/timestamp-reply' },
            body: createTimestampRequest({ digest, nonce }),
            timeoutMs,
            maxBytes: 1024 * 1024,
          });
          if (response.status < 200 || response.status > 299) throw new Error(`HTTP ${response.status}`);
          return readTimestampResponse({ response: response.body, digest, nonce });
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
