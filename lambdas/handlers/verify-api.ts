// Lambda entry point of the public verification API used by verify.html: the seal certificates,
// and the report facts of a certified file looked up by its SHA-256 (the file is never uploaded).
import { loadConfig } from '../config.ts';
import type { Deps } from '../core/deps.ts';
import { getSealCertificates, lookUpCertifiedDocument } from '../core/verify/look-up-certified-document.ts';
import { createVerifyApiDeps } from '../runtime/aws/verify-api-root.ts';
import { observeHandler } from '../runtime/aws/observability.ts';
import type { HttpApiHandler } from './http/api-gateway-types.ts';
import { jsonResponse } from './http/responses.ts';
import { createRouter } from './http/router.ts';
import { withProblemResponses } from './http/with-problem-responses.ts';

export function createVerifyApiHandler(getDeps: () => Deps): HttpApiHandler {
  const route = createRouter([
    {
      method: 'GET',
      path: '/api/verify/seal',
      handler: async () => jsonResponse(200, await getSealCertificates({ deps: getDeps() })),
    },
    {
      method: 'GET',
      path: '/api/verify/documents/{sha256}',
      handler: async (_e, { sha256 = '' }) =>
        jsonResponse(200, await lookUpCertifiedDocument({ deps: getDeps(), sha256 })),
    },
  ]);
  return withProblemResponses(route);
}

let deps: Deps | undefined;
export const handler = observeHandler(
  'verify-api',
  createVerifyApiHandler(() => (deps ??= createVerifyApiDeps(loadConfig()))),
);
