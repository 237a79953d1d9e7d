// Lambda entry point of the customer-area API (API Gateway HTTP API, payload 2.0): login link,
// session, account view, ledger and certified document downloads. Errors become problem details.
import { loadConfig, loadPaymentsConfig } from '../config.ts';
import { openAccountSession, requestAccountLogin } from '../core/accounts/account-login.ts';
import { getAccountDocument, getAccountLedger, getAccountView } from '../core/accounts/account-view.ts';
import type { Deps } from '../core/deps.ts';
import { getInvoiceDocument, getTopupView, listInvoices } from '../core/payments/account-payments.ts';
import type { PaymentDeps } from '../core/payments/billing-settings.ts';
import { startTopup } from '../core/payments/start-topup.ts';
import { getTopupTerms } from '../core/payments/topup-records.ts';
import { cancelEnvelopeFromArea, remindSignerFromArea } from '../core/sender-controls/area-controls.ts';
import type { SigningDocument } from '../core/signing/get-signing-document.ts';
import { createAccountApiDeps } from '../runtime/aws/account-api-root.ts';
import { observeHandler } from '../runtime/aws/observability.ts';
import type { HttpApiHandler } from './http/api-gateway-types.ts';
import { withProblemResponses } from './http/with-problem-responses.ts';
import { bearerToken as token, jsonBody } from './http/request.ts';
import { binaryResponse, jsonResponse, redirectResponse } from './http/responses.ts';
import { createRouter } from './http/router.ts';

const documentResponse = (document: SigningDocument) =>
  document.kind === 'redirect'
    ? redirectResponse(document.url)
    : binaryResponse({ body: document.bytes, contentType: document.contentType, fileName: document.name });

export type AccountApiOptions = {
  /** The VAT rate alone, for the top-up terms: answered without building the payment provider. */
  vatRateBasisPoints?: () => number;
};

/** `getPaymentDeps` is what top-ups need (the payment provider, billing settings). */
export function createAccountApiHandler(
  getDeps: () => Deps,
  getPaymentDeps?: () => PaymentDeps | Promise<PaymentDeps>,
  options: AccountApiOptions = {},
): HttpApiHandler {
  const paymentDeps = async () => {
    if (!getPaymentDeps) throw new Error('Top-ups are not configured for this function');
    return getPaymentDeps();
  };
  const route = createRouter([
    {
      method: 'POST',
      path: '/api/account/login',
      handler: async (e) => {
        await requestAccountLogin({ deps: getDeps(), email: jsonBody(e).email });
        return jsonResponse(202, { status: 'sent-if-account-exists' });
      },
    },
    {
      method: 'POST',
      path: '/api/account/session',
      handler: async (e) => jsonResponse(200, await openAccountSession({ deps: getDeps(), token: token(e) })),
    },
    {
      method: 'GET',
      path: '/api/account',
      handler: async (e) => jsonResponse(200, await getAccountView({ deps: getDeps(), token: token(e) })),
    },
    {
      method: 'GET',
      path: '/api/account/ledger',
      handler: async (e) => jsonResponse(200, await getAccountLedger({ deps: getDeps(), token: token(e) })),
    },
    {
      method: 'POST',
      path: '/api/account/envelopes/{envelopeId}/cancel',
      handler: async (e, { envelopeId = '' }) =>
        jsonResponse(200, await cancelEnvelopeFromArea({ deps: getDeps(), token: token(e), envelopeId })),
    },
    {
      method: 'POST',
      path: '/api/account/envelopes/{envelopeId}/remind',
      handler: async (e, { envelopeId = '' }) =>
        jsonResponse(202, await remindSignerFromArea({ deps: getDeps(), token: token(e), envelopeId })),
    },
    {
      method: 'GET',
      path: '/api/account/envelopes/{envelopeId}/documents/{documentId}',
      handler: async (e, { envelopeId = '', documentId = '' }) =>
        documentResponse(await getAccountDocument({ deps: getDeps(), token: token(e), envelopeId, documentId })),
    },
    {
      method: 'POST',
      path: '/api/account/topups',
      handler: async (e) =>
        jsonResponse(
          201,
          await startTopup({ deps: await paymentDeps(), token: token(e), amountCents: jsonBody(e).amountCents }),
        ),
    },
    {
      method: 'GET',
      path: '/api/account/topup-terms',
      handler: async () =>
        jsonResponse(
          200,
          getTopupTerms({
            vatRateBasisPoints: options.vatRateBasisPoints?.() ?? (await paymentDeps()).billing.vatRateBasisPoints,
          }),
        ),
    },
    {
      method: 'GET',
      path: '/api/account/topups/{topupId}',
      handler: async (e, { topupId = '' }) =>
        jsonResponse(200, await getTopupView({ deps: getDeps(), token: token(e), id: topupId })),
    },
    {
      method: 'GET',
      path: '/api/account/invoices',
      handler: async (e) => jsonResponse(200, await listInvoices({ deps: getDeps(), token: token(e) })),
    },
    {
      method: 'GET',
      path: '/api/account/invoices/{number}',
      handler: async (e, { number = '' }) =>
        documentResponse(await getInvoiceDocument({ deps: getDeps(), token: token(e), number })),
    },
  ]);
  return withProblemResponses(route);
}

let deps: Deps | undefined;
export const handler = observeHandler(
  'account-api',
  createAccountApiHandler(
    () => (deps ??= createAccountApiDeps(loadConfig())),
    // Top-ups only: Secrets Manager and the Stripe adapter load with the first one (a lazy chunk).
    async () =>
      (await import('../runtime/aws-payments.ts')).createAwsPaymentDeps({
        config: loadConfig(),
        payments: loadPaymentsConfig(),
        createDeps: createAccountApiDeps,
      }),
    // The account page asks for the terms on every visit: no secret read, no Stripe adapter for that.
    { vatRateBasisPoints: () => loadPaymentsConfig().vatRateBasisPoints },
  ),
);
