// Entry point of account.html, the customer area. A login link's token (fragment) is exchanged
// for a session token kept in sessionStorage for this tab; without one, the page asks for an
// email address and has a link mailed (the answer never says whether an account exists).
import { createApi, ApiError } from './api.ts';
import { apiUrl, loadConfig } from './config.ts';
import { h } from './dom.ts';
import { card, mountFrame } from './layout.ts';
import { takeToken } from './token.ts';
import { ta, type AccountMessages } from './account-i18n.ts';
import { envelopesCard, ledgerCard, summaryCard, type AccountData, type LedgerEntry } from './account-page.ts';
import { invoicesCard, takeTopupReturn, topupCard, topupReturnCard, type TopupTerms } from './account-topup.ts';
import type { InvoiceSummary } from '../../lambdas/core/api/api-types.ts';

const LOGIN_KEY = 'mailsign.account.login';
const SESSION_KEY = 'mailsign.account.session';
const { main } = mountFrame((x) => x.titleAccount);
/** Set when the checkout sent the customer back here; its card stays on top across refreshes. */
const topupReturn = takeTopupReturn();
let topupResult: HTMLElement | null = null;
const config = await loadConfig();
const api = (token: string) => createApi({ resolve: (path) => apiUrl(config, path, window.location.origin), token });

const storage = (): Storage | null => {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
};

type Notice = { title: (x: AccountMessages) => string; body: (x: AccountMessages) => string };

function showLogin(notice?: Notice): void {
  const input = h('input', {
    class: 'input',
    type: 'email',
    id: 'account-email',
    name: 'email',
    autocomplete: 'email',
    required: true,
  });
  const button = h(
    'button',
    { type: 'submit', class: 'btn btn-primary' },
    ta((x) => x.sendLink),
  );
  const form = h(
    'form',
    { class: 'account-login' },
    h(
      'label',
      { for: 'account-email' },
      ta((x) => x.emailLabel),
    ),
    h('div', { class: 'row-wrap' }, input, button),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    button.disabled = true;
    void api('')
      .post('/api/account/login', { email: input.value.trim() })
      .then(
        () => show({ title: (x) => x.linkSentTitle, body: (x) => x.linkSentBody }, false),
        () => show({ title: (x) => x.errorTitle, body: (x) => x.errorBody }, true),
      );
  });
  const intro = notice
    ? [h('h1', { class: 'card-title', tabindex: '-1' }, ta(notice.title)), h('p', {}, ta(notice.body))]
    : [];
  main.replaceChildren(
    card(
      'account-login-card',
      ...intro,
      h(
        notice ? 'h2' : 'h1',
        { class: 'card-title' },
        ta((x) => x.loginTitle),
      ),
      h(
        'p',
        { class: 'muted' },
        ta((x) => x.loginBody),
      ),
      form,
    ),
  );
}

function show(notice: Notice, withLogin: boolean): void {
  if (withLogin) {
    showLogin(notice);
    return;
  }
  main.replaceChildren(
    card('account-message', h('h1', { class: 'card-title' }, ta(notice.title)), h('p', {}, ta(notice.body))),
  );
}

async function openSession(loginToken: string): Promise<string | undefined> {
  storage()?.removeItem(LOGIN_KEY);
  try {
    const { token } = await api(loginToken).post<{ token: string }>('/api/account/session', {});
    storage()?.setItem(SESSION_KEY, token);
    return token;
  } catch (error) {
    const expired = error instanceof ApiError && error.code === 'LINK_EXPIRED';
    showLogin(
      expired
        ? { title: (x) => x.linkExpiredTitle, body: (x) => x.linkExpiredBody }
        : { title: (x) => x.linkInvalidTitle, body: (x) => x.linkInvalidBody },
    );
    return undefined;
  }
}

async function showAccount(session: string): Promise<void> {
  main.replaceChildren(
    card(
      'account-loading',
      h(
        'p',
        { class: 'loading' },
        ta((x) => x.loading),
      ),
    ),
  );
  const client = api(session);
  try {
    const [data, ledger, invoices, terms] = await Promise.all([
      client.get<AccountData>('/api/account'),
      client.get<{ entries: LedgerEntry[] }>('/api/account/ledger'),
      client.get<{ invoices: InvoiceSummary[] }>('/api/account/invoices'),
      client.get<TopupTerms>('/api/account/topup-terms'),
    ]);
    if (topupReturn && !topupResult)
      topupResult = topupReturnCard({ api: client, topupReturn, onCredited: () => void showAccount(session) });
    const signOut = h(
      'button',
      { type: 'button', class: 'btn btn-ghost btn-small' },
      ta((x) => x.signOut),
    );
    signOut.addEventListener('click', () => {
      storage()?.removeItem(SESSION_KEY);
      showLogin();
    });
    main.replaceChildren(
      ...(topupResult ? [topupResult] : []),
      summaryCard(data),
      topupCard({ api: client, terms, active: data.status === 'active' }),
      envelopesCard(client, data),
      ledgerCard(ledger.entries),
      invoicesCard(client, invoices.invoices),
      h('div', { class: 'row-end' }, signOut),
    );
    // The low-balance and refusal mails link to account.html#topup.
    if (window.location.hash === '#topup') document.getElementById('topup')?.scrollIntoView();
  } catch (error) {
    if (error instanceof ApiError && (error.problem.status === 401 || error.problem.status === 410)) {
      storage()?.removeItem(SESSION_KEY);
      return showLogin();
    }
    show({ title: (x) => x.errorTitle, body: (x) => x.errorBody }, false);
  }
}

async function start(): Promise<void> {
  const login = window.location.hash.includes('t=')
    ? takeToken({ location: window.location, history: window.history, storage: storage() }, LOGIN_KEY)
    : null;
  const session = login ? await openSession(login) : storage()?.getItem(SESSION_KEY);
  if (session) await showAccount(session);
  else if (!login) showLogin();
}

window.addEventListener('hashchange', () => void start());
await start();
