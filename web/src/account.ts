// Entry point of account.html. The customer area (documents, balance, ledger) comes with the
// billing issue; for now the same frame says it is coming, so login links never hit a 404.
import { h } from './dom.ts';
import { tr } from './locale.ts';
import { mountFrame } from './layout.ts';
import { takeToken } from './token.ts';
import { stateCard } from './views.ts';

const { main } = mountFrame((x) => x.titleAccount);
// Even before the area exists, a login link's token must not linger in the address bar; it is
// kept for this tab so the billing issue's page can exchange it for a session.
const keepToken = (): void => {
  try {
    takeToken({ location: window.location, history: window.history, storage: window.sessionStorage }, 'mailsign.account.login');
  } catch {
    // sessionStorage unavailable: nothing to keep.
  }
};
keepToken();
window.addEventListener('hashchange', keepToken);
main.append(
  stateCard(
    'info',
    (x) => x.accountComingTitle,
    (x) => x.accountComingBody,
    h('div', { class: 'row' }, h('a', { class: 'btn btn-secondary', href: './' }, tr((x) => x.backHome))),
  ),
);
