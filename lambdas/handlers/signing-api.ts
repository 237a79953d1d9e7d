// Lambda entry point of the signing API (API Gateway HTTP API, payload 2.0): route, call the use
// case, shape the answer. Errors become problem details in http/problem-responses.ts.
import { loadConfig } from '../config.ts';
import type { Deps } from '../core/deps.ts';
import { requestOtp } from '../core/otp/request-otp.ts';
import { verifyOtp } from '../core/otp/verify-otp.ts';
import { declineEnvelope } from '../core/signing/decline-envelope.ts';
import { getSigningDocument, type SigningDocument } from '../core/signing/get-signing-document.ts';
import { getSigningView } from '../core/signing/get-signing-view.ts';
import { submitSignature } from '../core/signing/submit-signature.ts';
import { observeHandler, reportChargeState, reportSigningApi } from '../runtime/aws/observability.ts';
import { createSigningApiDeps } from '../runtime/aws/signing-api-root.ts';
import type { HttpApiHandler } from './http/api-gateway-types.ts';
import { withProblemResponses } from './http/with-problem-responses.ts';
import { bearerToken as token, clientInfo, jsonBody } from './http/request.ts';
import { binaryResponse, jsonResponse, redirectResponse } from './http/responses.ts';
import { createRouter } from './http/router.ts';

function documentResponse(document: SigningDocument) {
  return document.kind === 'redirect'
    ? redirectResponse(document.url)
    : binaryResponse({ body: document.bytes, contentType: document.contentType, fileName: document.name });
}

export type SigningApiHooks = {
  /** Told of each recorded signature's charge state (the AWS runtime counts them). */
  onChargeState?: (state: string) => void;
};

export function createSigningApiHandler(getDeps: () => Deps, hooks: SigningApiHooks = {}): HttpApiHandler {
  const route = createRouter([
    {
      method: 'GET',
      path: '/api/signing',
      handler: async (e) => jsonResponse(200, await getSigningView({ deps: getDeps(), token: token(e) })),
    },
    {
      method: 'GET',
      path: '/api/signing/documents/{documentId}',
      handler: async (e, { documentId = '' }) =>
        documentResponse(await getSigningDocument({ deps: getDeps(), token: token(e), documentId })),
    },
    {
      method: 'GET',
      path: '/api/signing/documents/{documentId}/certified',
      handler: async (e, { documentId = '' }) =>
        documentResponse(await getSigningDocument({ deps: getDeps(), token: token(e), documentId, certified: true })),
    },
    {
      method: 'POST',
      path: '/api/signing/otp',
      handler: async (e) =>
        jsonResponse(202, await requestOtp({ deps: getDeps(), token: token(e), phone: jsonBody(e).phone })),
    },
    {
      method: 'POST',
      path: '/api/signing/otp/verify',
      handler: async (e) =>
        jsonResponse(200, await verifyOtp({ deps: getDeps(), token: token(e), code: jsonBody(e).code })),
    },
    {
      method: 'POST',
      path: '/api/signing/signature',
      handler: async (e) => {
        const result = await submitSignature({
          deps: getDeps(),
          token: token(e),
          input: jsonBody(e),
          client: clientInfo(e),
        });
        hooks.onChargeState?.(result.charge.state);
        if (result.undelivered.length > 0)
          console.warn(JSON.stringify({ event: 'signing.notification-undelivered', undelivered: result.undelivered }));
        // The signature stands; a missing charge must reach an operator (ids only, no addresses).
        if (result.charge.state !== 'decided') {
          const signatureId = 'signatureId' in result.charge ? result.charge.signatureId : undefined;
          console.error(
            JSON.stringify({
              event: 'billing.charge-not-decided',
              state: result.charge.state,
              signatureId,
              requestId: e.requestContext.requestId,
            }),
          );
        }
        return jsonResponse(200, { status: result.status });
      },
    },
    {
      method: 'POST',
      path: '/api/signing/decline',
      handler: async (e) => {
        const result = await declineEnvelope({ deps: getDeps(), token: token(e), reason: jsonBody(e).reason });
        if (result.undelivered > 0)
          console.warn(JSON.stringify({ event: 'signing.decline-mail-undelivered', count: result.undelivered }));
        return jsonResponse(200, { status: result.status });
      },
    },
  ]);
  return withProblemResponses(route);
}

let deps: Deps | undefined;
export const handler = observeHandler(
  'signing-api',
  createSigningApiHandler(() => (deps ??= createSigningApiDeps(loadConfig())), { onChargeState: reportChargeState }),
  (result, event) => reportSigningApi({ event, result }),
);
