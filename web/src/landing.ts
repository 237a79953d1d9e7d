// Entry point of index.html: a short presentation of the service, in the visitor's language.
import { h } from './dom.ts';
import { tr } from './locale.ts';
import { card, mountFrame } from './layout.ts';
import type { Messages } from './i18n.ts';

const { main } = mountFrame((x) => x.titleIndex);
const stepCard = (title: (x: Messages) => string, body: (x: Messages) => string): HTMLElement =>
  card('feature', h('h2', { class: 'card-title' }, tr(title)), h('p', {}, tr(body)));
main.append(
  h(
    'section',
    { class: 'hero' },
    h(
      'h1',
      {},
      tr((x) => x.landingTitle),
    ),
    h(
      'p',
      { class: 'lead' },
      tr((x) => x.landingLead),
    ),
  ),
  h(
    'div',
    { class: 'features' },
    stepCard(
      (x) => x.landingStep1Title,
      (x) => x.landingStep1Body,
    ),
    stepCard(
      (x) => x.landingStep2Title,
      (x) => x.landingStep2Body,
    ),
    stepCard(
      (x) => x.landingStep3Title,
      (x) => x.landingStep3Body,
    ),
  ),
  h(
    'section',
    { class: 'hero-foot' },
    h(
      'p',
      { class: 'muted' },
      tr((x) => x.landingPricing),
    ),
    h(
      'a',
      { class: 'btn btn-primary', href: 'account.html' },
      tr((x) => x.landingAccount),
    ),
  ),
);
