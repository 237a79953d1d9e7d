// Lambda entry point of `POST /api/payments/webhook` (no auth: the payment provider's signature
// over the raw body is the credential). 400 for a missing or wrong signature (logged as
// `payments.webhook-signature-invalid`, which an alarm counts), 200 for every verified event,
// acted on or not, and 500 when recording failed, so that the provider delivers it again.
import { loadConfig, loadPaymentsConfig } from '../config.ts';
import type { PaymentDeps } from '../core/payments/billing-settings.ts';
import { recordPaymentEvent } from '../core/payments/record-payment.ts';
import { isDomainError } from '../core/errors.ts';
import type { HttpApiEvent, HttpApiHandler } from './http/api-gateway-types.ts';
import { jsonResponse } from './http/responses.ts';
import { createRouter } from './http/router.ts';
import { createAwsPaymentDeps } from '../runtime/aws-payments.ts';
import { createPaymentsWebhookDeps } from '../runtime/aws/payments-webhook-root.ts';
import { observeHandler } from '../runtime/aws/observability.ts';
import { withProblemResponses } from './http/with-problem-responses.ts';

export const WEBHOOK_SIGNATURE_INVALID_LOG = 'payments.webhook-signature-invalid';

/** The body exactly as it was sent: the signature covers these bytes. */
function rawBody(event: HttpApiEvent): string | Uint8Array {
  if (event.body === undefined) return '';
  return event.isBase64Encoded ? new Uint8Array(Buffer.from(event.body, 'base64')) : event.body;
}

export function createPaymentsWebhookHandler(getDeps: () => PaymentDeps | Promise<PaymentDeps>): HttpApiHandler {
  const route = createRouter([
    {
      method: 'POST',
      path: '/api/payments/webhook',
      handler: async (e) => {
        const deps = await getDeps();
        let event: Awaited<ReturnType<PaymentDeps['payments']['parseWebhook']>>;
        try {
          event = await deps.payments.parseWebhook({
            rawBody: rawBody(e),
            signatureHeader: e.headers?.['stripe-signature'],
          });
        } catch (error) {
          if (isDomainError(error, 'WEBHOOK_SIGNATURE_INVALID'))
            console.warn(
              JSON.stringify({ event: WEBHOOK_SIGNATURE_INVALID_LOG, requestId: e.requestContext.requestId }),
            );
          throw error;
        }
        const outcome = await recordPaymentEvent({ deps, event });
        // Ids only: no address, no amount tied to a person.
        console.info(
          JSON.stringify({
            event: 'payments.webhook',
            eventId: event.eventId,
            kind: event.kind,
            outcome: outcome.outcome,
            ...('topupId' in outcome && { topupId: outcome.topupId }),
          }),
        );
        return jsonResponse(200, { received: true, outcome: outcome.outcome });
      },
    },
  ]);
  return withProblemResponses(route);
}

export const handler = observeHandler(
  'payments-webhook',
  createPaymentsWebhookHandler(() =>
    createAwsPaymentDeps({
      config: loadConfig(),
      payments: loadPaymentsConfig(),
      createDeps: createPaymentsWebhookDeps,
    }),
  ),
);
