// The customer area's "Recharger / Top up" card (presets or a typed amount, excl. VAT, VAT and total
// shown before paying, then off to the checkout), the notice shown when the checkout sends the
// customer back (waits for the credit, then the new balance and the invoice), and the invoices.
import { computeTopupAmounts } from '../../lambdas/core/payments/topup-amounts.ts';
import type { ApiClient } from './api.ts';
import { formatDate, formatEuros } from './account-i18n.ts';
import { h } from './dom.ts';
import { card } from './layout.ts';
import { lang, onLang } from './locale.ts';
import { tm, tt } from './topup-i18n.ts';
import { downloadPdf } from './download.ts';
import type { InvoiceSummary } from '../../lambdas/core/api/api-types.ts';

export type TopupTerms = { vatRateBasisPoints: number; minCents: number; maxCents: number; presetsCents: number[] };
type TopupView = {
  status: string;
  credited: boolean;
  amountCents: number;
  invoiceNumber?: string;
  balanceCents: number;
};

const percent = (basisPoints: number) => {
  const format = new Intl.NumberFormat(lang() === 'fr' ? 'fr-FR' : 'en-GB', { maximumFractionDigits: 2 });
  return `${format.format(basisPoints / 100)} %`;
};

/** Euros typed in either language ("25", "25,50", "25.5") to cents; undefined unless whole cents. */
function parseEuros(text: string): number | undefined {
  const match = /^\s*(\d{1,7})(?:[.,](\d{1,2}))?\s*$/.exec(text);
  if (!match) return undefined;
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}

function live(compute: () => string): Text {
  const node = document.createTextNode('');
  onLang(() => {
    node.data = compute();
  });
  return node;
}

export function topupCard(options: { api: ApiClient; terms: TopupTerms; active: boolean }): HTMLElement {
  const { api, terms } = options;
  let amountCents = terms.presetsCents[1] ?? terms.minCents;
  const valid = () => Number.isInteger(amountCents) && amountCents >= terms.minCents && amountCents <= terms.maxCents;
  const amounts = () => computeTopupAmounts({ amountCents, vatRateBasisPoints: terms.vatRateBasisPoints });
  const presets = terms.presetsCents.map((cents) =>
    h(
      'button',
      { type: 'button', class: 'btn btn-secondary', 'data-preset': cents, 'aria-pressed': 'false' },
      live(() => formatEuros(cents)),
    ),
  );
  const input = h('input', {
    class: 'input',
    id: 'topup-amount',
    inputmode: 'decimal',
    autocomplete: 'off',
    style: 'max-width:10rem',
  });
  const error = h(
    'p',
    { class: 'hint', role: 'alert', hidden: true },
    tt((x) => x.amountInvalid),
  );
  const ht = h('dd', { 'data-amount': 'ht', style: 'margin:0;text-align:right' });
  const vat = h('dd', { 'data-amount': 'vat', style: 'margin:0;text-align:right' });
  const ttc = h('dd', { 'data-amount': 'ttc', style: 'margin:0;text-align:right;font-weight:600' });
  const vatLabel = h('dt', {});
  const pay = h('button', { type: 'submit', class: 'btn btn-primary' });
  const failure = h(
    'p',
    { class: 'hint', role: 'alert', hidden: true },
    tt((x) => x.startFailed),
  );
  const render = () => {
    for (const button of presets)
      button.setAttribute('aria-pressed', String(Number(button.dataset.preset) === amountCents));
    error.hidden = valid() || input.value.trim() === '';
    const a = amounts();
    ht.textContent = valid() ? formatEuros(a.amountCents) : '–';
    vat.textContent = valid() ? formatEuros(a.vatCents) : '–';
    ttc.textContent = valid() ? formatEuros(a.totalCents) : '–';
    vatLabel.textContent = tm().vat(percent(terms.vatRateBasisPoints));
    pay.textContent = valid() ? tm().pay(formatEuros(a.totalCents)) : tm().pay('');
    pay.disabled = !valid() || !options.active;
  };
  for (const button of presets)
    button.addEventListener('click', () => {
      amountCents = Number(button.dataset.preset);
      input.value = '';
      render();
    });
  input.addEventListener('input', () => {
    amountCents = parseEuros(input.value) ?? Number.NaN;
    if (input.value.trim() === '') amountCents = Number.NaN;
    render();
  });
  const form = h(
    'form',
    { class: 'account-topup-form' },
    h('div', { class: 'row-wrap', role: 'group', style: 'gap:8px' }, ...presets),
    h(
      'label',
      { for: 'topup-amount', style: 'display:block;margin-top:12px' },
      tt((x) => x.otherAmount),
    ),
    input,
    error,
    h(
      'dl',
      { style: 'display:grid;grid-template-columns:1fr auto;gap:4px 16px;max-width:22rem;margin:12px 0' },
      h(
        'dt',
        {},
        tt((x) => x.excludingVat),
      ),
      ht,
      vatLabel,
      vat,
      h(
        'dt',
        { style: 'font-weight:600' },
        tt((x) => x.total),
      ),
      ttc,
    ),
    pay,
    failure,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!valid()) return;
    pay.disabled = true;
    failure.hidden = true;
    void api.post<{ checkoutUrl: string }>('/api/account/topups', { amountCents }).then(
      ({ checkoutUrl }) => window.location.assign(checkoutUrl),
      () => {
        failure.hidden = false;
        pay.disabled = false;
      },
    );
  });
  onLang(render);
  return card(
    'account-topup',
    h(
      'h2',
      { class: 'card-title', id: 'topup' },
      tt((x) => x.topupTitle),
    ),
    h(
      'p',
      { class: 'muted' },
      tt((x) => x.topupIntro),
    ),
    options.active
      ? form
      : h(
          'p',
          { class: 'account-notice', role: 'status' },
          tt((x) => x.inactive),
        ),
  );
}

/** When the checkout sent the customer back: `?topup=<id>&outcome=paid|canceled`, read once. */
export function takeTopupReturn(): { id: string; outcome: string } | undefined {
  const params = new URLSearchParams(window.location.search);
  const id = params.get('topup');
  const outcome = params.get('outcome');
  if (!id || !outcome) return undefined;
  window.history.replaceState(null, '', window.location.pathname + window.location.hash);
  return { id, outcome };
}

/** The outcome notice; for a payment, waits (a few seconds at most) until the webhook credited it. */
export function topupReturnCard(options: {
  api: ApiClient;
  topupReturn: { id: string; outcome: string };
  onCredited: () => void;
}): HTMLElement {
  const { topupReturn } = options;
  if (topupReturn.outcome !== 'paid')
    return card(
      'account-topup-result',
      h(
        'h2',
        { class: 'card-title' },
        tt((x) => x.canceledTitle),
      ),
      h(
        'p',
        {},
        tt((x) => x.canceledBody),
      ),
    );
  const body = h(
    'p',
    { role: 'status', 'data-topup-result': 'waiting' },
    tt((x) => x.paidWaiting),
  );
  const poll = async (attempt: number): Promise<void> => {
    const view = await options.api
      .get<TopupView>(`/api/account/topups/${encodeURIComponent(topupReturn.id)}`)
      .catch(() => undefined);
    if (view?.credited && view.invoiceNumber) {
      const invoice = view.invoiceNumber;
      body.replaceChildren(
        live(() => tm().paidDone(`+${formatEuros(view.amountCents)}`, formatEuros(view.balanceCents), invoice)),
      );
      body.dataset.topupResult = 'credited';
      options.onCredited();
      return;
    }
    if (attempt < 30) setTimeout(() => void poll(attempt + 1), 1000);
  };
  void poll(0);
  return card(
    'account-topup-result',
    h(
      'h2',
      { class: 'card-title' },
      tt((x) => x.paidTitle),
    ),
    body,
  );
}

export function invoicesCard(api: ApiClient, invoices: InvoiceSummary[]): HTMLElement {
  const rows = [...invoices].reverse().map((invoice) => {
    const button = h(
      'button',
      { type: 'button', class: 'btn btn-secondary btn-small' },
      tt((x) => x.download),
    );
    button.addEventListener('click', () => {
      void downloadPdf(api, invoice.url, `facture-invoice-${invoice.number}.pdf`).catch(() =>
        button.classList.add('is-error'),
      );
    });
    return h(
      'li',
      {
        class: 'account-invoice',
        'data-invoice': invoice.number,
        style: 'display:flex;flex-wrap:wrap;gap:4px 12px;align-items:center',
      },
      h('strong', {}, invoice.number),
      h(
        'span',
        { class: 'muted' },
        live(() => formatDate(invoice.issuedAt)),
      ),
      h(
        'span',
        {},
        live(() => `${formatEuros(invoice.totalCents)} ${tm().incl}`),
      ),
      button,
    );
  });
  return card(
    'account-invoices',
    h(
      'h2',
      { class: 'card-title' },
      tt((x) => x.invoicesTitle),
    ),
    rows.length === 0
      ? h(
          'p',
          { class: 'muted' },
          tt((x) => x.noInvoices),
        )
      : h('ul', { class: 'account-list' }, ...rows),
  );
}
