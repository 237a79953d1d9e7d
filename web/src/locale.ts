// Current language of the page and live switching. Elements register an updater instead of
// being re-rendered, so switching language keeps the drawn signature, the rendered pages and the
// placed boxes exactly as they are.
import { MESSAGES, pickLang } from './i18n.ts';
import type { Lang, Messages } from './i18n.ts';

const STORAGE_KEY = 'mailsign.lang';
let current: Lang = 'fr';
const updaters: Array<() => void> = [];

export function initLang(): Lang {
  let stored: string | null = null;
  try {
    stored = localStorage.getItem(STORAGE_KEY);
  } catch {
    // Storage can be disabled (private mode, strict settings): the browser language still works.
  }
  current = pickLang(navigator.languages ?? [navigator.language], stored);
  document.documentElement.lang = current;
  return current;
}

export function lang(): Lang {
  return current;
}

export function m(): Messages {
  return MESSAGES[current];
}

export function setLang(next: Lang): void {
  current = next;
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // Not persisted: the choice still holds for this page view.
  }
  document.documentElement.lang = next;
  for (const update of updaters) update();
}

/** Runs `update` now and again on every language switch. */
export function onLang(update: () => void): void {
  update();
  updaters.push(update);
}

/** A text node that follows the language. */
export function tr(pick: (msg: Messages) => string): Text {
  const node = document.createTextNode('');
  onLang(() => {
    node.data = pick(m());
  });
  return node;
}

/** An attribute (aria-label, placeholder, title...) that follows the language. */
export function trAttr<E extends Element>(el: E, name: string, pick: (msg: Messages) => string): E {
  onLang(() => el.setAttribute(name, pick(m())));
  return el;
}
