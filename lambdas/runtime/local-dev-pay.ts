// The local stack's checkout page, standing in for Stripe Checkout: `GET /dev/pay/<id>` shows the
// top-up with Pay and Cancel; `POST /dev/pay/<id>` {outcome: "paid" | "canceled"} builds the event
// Stripe would send, signs it with the local webhook secret as Stripe does, and POSTs it to the
// real webhook route over HTTP; `POST /dev/pay/<id>/redeliver` sends that same event again
// (a fresh signature, the same body), as Stripe's retries do.
import { randomBytes } from 'node:crypto';
import {
  buildLocalCheckoutEvent,
  signLocalEvent,
  type LocalCheckoutOutcome,
} from '../adapters/local/local-payment-provider.ts';
import { DomainError } from '../core/errors.ts';
import { topupReturnUrl } from '../core/payments/start-topup.ts';
import { getTopup } from '../core/payments/topup-records.ts';
import type { PaymentDeps } from '../core/payments/billing-settings.ts';
import { jsonBody } from '../handlers/http/request.ts';
import { jsonResponse } from '../handlers/http/responses.ts';
import { createRouter } from '../handlers/http/router.ts';
import { withProblemResponses } from '../handlers/http/with-problem-responses.ts';
import type { HttpApiHandler } from '../handlers/http/api-gateway-types.ts';

export type CreateLocalDevPayHandlerOptions = {
  getDeps: () => PaymentDeps;
  webhookSecret: string;
};

const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const euros = (cents: number) => (cents / 100).toFixed(2);

const VIEWPORT = '<meta name="viewport" content="width=device-width, initial-scale=1">';
const CHECKOUT_STYLE = [
  'body{font:16px system-ui,sans-serif;margin:0;padding:1.5rem;color:#1e293b;background:#f1f5f9}' +
    'main{max-width:28rem;margin:auto;background:#fff;border-radius:12px;padding:1.5rem;box-shadow:0 1px 3px #0002}',
  'dl{display:grid;grid-template-columns:1fr auto;gap:.4rem 1rem}' +
    'dd{margin:0;text-align:right;font-variant-numeric:tabular-nums}.total{font-weight:700}',
  '.row{display:flex;gap:.75rem;flex-wrap:wrap;margin-top:1rem}' +
    'button{font:inherit;padding:.7rem 1.2rem;border-radius:8px;border:1px solid #1d4ed8;cursor:pointer}',
  '.pay{background:#1d4ed8;color:#fff}.cancel{background:#fff;color:#1d4ed8}.note{color:#64748b;font-size:.85rem}',
].join('\n');
const CHECKOUT_NOTE =
  'Page du stack local à la place de Stripe Checkout : aucune carte n’est débitée. / ' +
  "The local stack's stand-in for Stripe Checkout: no card is charged.";
const ALREADY_HANDLED = '<p role="status">Ce paiement est déjà traité. / This payment was already handled.</p>';
const FETCH_OPTIONS =
  "{ method: 'POST', headers: { 'content-type': 'application/json' }, " +
  'body: JSON.stringify({ outcome: button.dataset.outcome }) }';

export function createLocalDevPayHandler(options: CreateLocalDevPayHandlerOptions): HttpApiHandler {
  /** The last event sent per top-up: what "redeliver" sends again. */
  const sent = new Map<string, string>();

  async function deliver(payload: string): Promise<number> {
    const url = `${options.getDeps().settings.publicUrl}/api/payments/webhook`;
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'stripe-signature': signLocalEvent({ payload, webhookSecret: options.webhookSecret }),
      },
      body: payload,
    });
    await response.arrayBuffer();
    return response.status;
  }

  async function loadTopup(id: string) {
    const topup = await getTopup(options.getDeps().store, id);
    if (!topup) throw new DomainError({ code: 'NOT_FOUND', message: 'No such top-up.' });
    return topup;
  }

  const route = createRouter([
    {
      method: 'GET',
      path: '/dev/pay/{id}',
      handler: async (_e, { id = '' }) => {
        const topup = await loadTopup(id);
        return {
          statusCode: 200,
          headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
          body: renderCheckoutPage(topup),
        };
      },
    },
    {
      method: 'POST',
      path: '/dev/pay/{id}',
      handler: async (e, { id = '' }) => {
        const outcome = jsonBody(e).outcome;
        if (outcome !== 'paid' && outcome !== 'canceled')
          throw new DomainError({ code: 'BAD_REQUEST', message: 'outcome must be "paid" or "canceled".' });
        const topup = await loadTopup(id);
        const publicUrl = options.getDeps().settings.publicUrl;
        const payload = JSON.stringify(
          buildLocalCheckoutEvent({
            topup,
            outcome: outcome as LocalCheckoutOutcome,
            eventId: `evt_local_${randomBytes(12).toString('hex')}`,
            createdAt: options.getDeps().clock.now(),
            successUrl: topupReturnUrl({ publicUrl, topupId: id, outcome: 'paid' }),
            cancelUrl: topupReturnUrl({ publicUrl, topupId: id, outcome: 'canceled' }),
          }),
          null,
          2,
        );
        sent.set(id, payload);
        const webhookStatus = await deliver(payload);
        return jsonResponse(200, {
          outcome,
          webhookStatus,
          redirectUrl: topupReturnUrl({ publicUrl, topupId: id, outcome: outcome as LocalCheckoutOutcome }),
        });
      },
    },
    {
      method: 'POST',
      path: '/dev/pay/{id}/redeliver',
      handler: async (_e, { id = '' }) => {
        const payload = sent.get(id);
        if (!payload) throw new DomainError({ code: 'NOT_FOUND', message: 'No event was sent for this top-up yet.' });
        return jsonResponse(200, { webhookStatus: await deliver(payload) });
      },
    },
  ]);
  return withProblemResponses(route);
}

function renderCheckoutPage(topup: {
  id: string;
  email: string;
  amountCents: number;
  vatCents: number;
  totalCents: number;
  status: string;
}): string {
  const done = topup.status !== 'open';
  const amounts =
    `<dt>Montant HT / Excl. VAT</dt><dd>${euros(topup.amountCents)} €</dd>` +
    `<dt>TVA / VAT</dt><dd>${euros(topup.vatCents)} €</dd>`;
  return `<!doctype html><html lang="fr"><head><meta charset="utf-8">${VIEWPORT}
<title>Paiement (local) / Checkout (local)</title>
<style>${CHECKOUT_STYLE}</style></head>
<body><main><h1>Paiement de test / Test checkout</h1>
<p class="note">${CHECKOUT_NOTE}</p>
<p>${escapeHtml(topup.email)}</p>
<dl>${amounts}
<dt class="total">Total TTC / Incl. VAT</dt><dd class="total" data-total>${euros(topup.totalCents)} €</dd></dl>
${done ? ALREADY_HANDLED : ''}
<div class="row"><button class="pay" data-outcome="paid"${done ? ' disabled' : ''}>Payer / Pay</button>
<button class="cancel" data-outcome="canceled"${done ? ' disabled' : ''}>Annuler / Cancel</button></div>
<p role="status" id="status"></p></main>
<script>
for (const button of document.querySelectorAll('button[data-outcome]')) {
  button.addEventListener('click', async () => {
    for (const b of document.querySelectorAll('button')) b.disabled = true;
    const response = await fetch(location.pathname, ${FETCH_OPTIONS});
    const result = await response.json();
    if (result.redirectUrl) location.assign(result.redirectUrl);
    else document.getElementById('status').textContent = result.detail || 'Erreur / Error';
  });
}
</script></body></html>`;
}
