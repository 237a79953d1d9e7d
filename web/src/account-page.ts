// The customer area's views: balance and free signatures, the requests with their signers and
// signed documents, and the ledger. Texts follow the language switch through ta()/onLang.
import type { ApiClient } from './api.ts';
import { h } from './dom.ts';
import { card } from './layout.ts';
import { onLang } from './locale.ts';
import { am, formatDate, formatEuros, ta } from './account-i18n.ts';
import { envelopeControls, envelopeFacts } from './account-controls.ts';
import { downloadPdf } from './download.ts';

export type AccountEnvelope = {
  id: string;
  subject: string;
  status: string;
  createdAt: string;
  completedAt?: string;
  expiresAt?: string;
  declineReason?: string;
  signers: Array<{ position: number; name: string; status: string }>;
  documents: Array<{ id: string; name: string; url: string }>;
};

export type AccountData = {
  email: string;
  status: 'active' | 'suspended' | 'closed';
  balanceCents: number;
  signaturesLast30Days: number;
  freeSignaturesLeft: number;
  envelopes: AccountEnvelope[];
};

export type LedgerEntry = {
  at: string;
  type: 'credit' | 'debit';
  amountCents: number;
  balanceAfterCents: number;
  envelopeId?: string;
};

/** A text node recomputed on every language switch (amounts and dates are formatted per language). */
function live(compute: () => string): Text {
  const node = document.createTextNode('');
  onLang(() => {
    node.data = compute();
  });
  return node;
}

function stat(label: Text, value: Text, id: string): HTMLElement {
  return h(
    'div',
    { class: 'account-stat', 'data-stat': id },
    h('div', { class: 'muted' }, label),
    h('div', { class: 'account-stat-value', style: 'font-size:1.5rem;font-weight:600' }, value),
  );
}

export function summaryCard(data: AccountData): HTMLElement {
  const notice =
    data.status === 'active'
      ? null
      : h(
          'p',
          { class: 'account-notice', role: 'status' },
          ta((x) => (data.status === 'suspended' ? x.statusSuspended : x.statusClosed)),
        );
  return card(
    'account-summary',
    h('h1', { class: 'card-title', style: 'overflow-wrap:anywhere' }, data.email),
    notice,
    h(
      'div',
      // Inline layout: the shared stylesheet belongs to the signing page's owner.
      { class: 'account-stats', style: 'display:flex;flex-wrap:wrap;gap:12px 32px;margin:8px 0' },
      stat(
        ta((x) => x.balance),
        live(() => formatEuros(data.balanceCents)),
        'balance',
      ),
      stat(
        ta((x) => x.freeLeft),
        live(() => String(data.freeSignaturesLeft)),
        'free',
      ),
      stat(
        ta((x) => x.received30),
        live(() => String(data.signaturesLast30Days)),
        'received',
      ),
    ),
    h(
      'p',
      { class: 'hint' },
      ta((x) => x.pricing),
    ),
  );
}

function envelopeItem(api: ApiClient, envelope: AccountEnvelope): HTMLElement {
  const dates = live(() => {
    const sent = `${am().sentOn} ${formatDate(envelope.createdAt)}`;
    return envelope.completedAt ? `${sent} · ${am().completedOn} ${formatDate(envelope.completedAt)}` : sent;
  });
  const signers = h(
    'ol',
    { class: 'signer-list' },
    ...envelope.signers.map((s) =>
      h(
        'li',
        { class: 'signer' },
        h('span', { class: 'signer-name' }, `${s.position}. ${s.name}`),
        ' ',
        h(
          'span',
          { class: `badge badge-${s.status}` },
          ta((x) => x.signerStatus[s.status] ?? s.status),
        ),
      ),
    ),
  );
  const documents =
    envelope.documents.length > 0
      ? h(
          'ul',
          { class: 'account-documents' },
          ...envelope.documents.map((d) => {
            const button = h(
              'button',
              { type: 'button', class: 'btn btn-secondary btn-small' },
              h(
                'span',
                {},
                ta((x) => x.download),
              ),
              h('span', { class: 'account-document-name' }, d.name),
            );
            button.addEventListener(
              'click',
              () => void downloadPdf(api, d.url, d.name).catch(() => button.classList.add('is-error')),
            );
            return h('li', {}, button);
          }),
        )
      : null;
  const badge = h(
    'span',
    { class: 'badge' },
    ta((x) => x.envelopeStatus[envelope.status] ?? envelope.status),
  );
  return h(
    'li',
    { class: 'account-envelope', 'data-envelope': envelope.id },
    h('div', { class: 'account-envelope-head' }, h('strong', {}, envelope.subject), ' ', badge),
    h('div', { class: 'muted' }, dates),
    envelopeFacts(envelope),
    signers,
    envelope.declineReason
      ? h(
          'p',
          { class: 'account-decline-reason' },
          h(
            'span',
            { class: 'label' },
            ta((x) => x.declineReason),
          ),
          ' ',
          h('q', {}, envelope.declineReason),
        )
      : null,
    documents,
    envelopeControls(api, envelope, (status) => {
      badge.replaceChildren(ta((x) => x.envelopeStatus[status] ?? status));
    }),
  );
}

export function envelopesCard(api: ApiClient, data: AccountData): HTMLElement {
  // Each request once, with its state; a completed one carries its certified documents, a
  // declined one the reason given.
  return card(
    'account-envelopes',
    h(
      'h2',
      { class: 'card-title' },
      ta((x) => x.envelopesTitle),
    ),
    data.envelopes.length === 0
      ? h(
          'p',
          { class: 'muted' },
          ta((x) => x.noEnvelopes),
        )
      : h('ul', { class: 'account-list' }, ...data.envelopes.map((e) => envelopeItem(api, e))),
  );
}

export function ledgerCard(entries: LedgerEntry[]): HTMLElement {
  const rows = [...entries].reverse().map((entry) =>
    h(
      'li',
      { class: 'account-ledger-entry' },
      h(
        'span',
        {},
        live(() => formatDate(entry.at)),
      ),
      ' · ',
      h(
        'span',
        {},
        ta((x) => (entry.type === 'credit' ? x.credit : x.debit)),
      ),
      ' · ',
      h(
        'strong',
        {},
        live(() => formatEuros(entry.amountCents)),
      ),
      ' · ',
      h(
        'span',
        { class: 'muted' },
        live(() => `${am().balanceAfter} ${formatEuros(entry.balanceAfterCents)}`),
      ),
    ),
  );
  return card(
    'account-ledger',
    h(
      'h2',
      { class: 'card-title' },
      ta((x) => x.ledgerTitle),
    ),
    rows.length === 0
      ? h(
          'p',
          { class: 'muted' },
          ta((x) => x.noLedger),
        )
      : h('ul', { class: 'account-list' }, ...rows),
  );
}
