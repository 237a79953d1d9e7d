// Entry point of account.html. The customer area (documents, balance, ledger) comes with the
// billing issue; for now the same frame says it is coming, so login links never hit a 404.
import { h } from './dom.ts';
import { tr } from './locale.ts';
import { mountFrame } from './layout.ts';
import { stateCard } from './views.ts';

const { main } = mountFrame((x) => x.titleAccount);
main.append(
  stateCard(
    'info',
    (x) => x.accountComingTitle,
    (x) => x.accountComingBody,
    h('div', { class: 'row' }, h('a', { class: 'btn btn-secondary', href: './' }, tr((x) => x.backHome))),
  ),
);
