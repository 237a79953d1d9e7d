// The frame shared by every page: brand header with the language toggle, main area, footer.
// One layout keeps the signing page, the customer area and the landing page visibly one product.
import { h } from './dom.ts';
import type { Child } from './dom.ts';
import { initLang, lang, m, onLang, setLang, tr, trAttr } from './locale.ts';
import type { Messages } from './i18n.ts';

export interface Frame {
  main: HTMLElement;
}

export function mountFrame(title: (msg: Messages) => string): Frame {
  initLang();
  const toggle = h(
    'button',
    { type: 'button', class: 'lang-toggle' },
    tr((msg) => msg.otherLangLabel),
  );
  trAttr(toggle, 'aria-label', (msg) => msg.otherLangAria);
  toggle.addEventListener('click', () => setLang(lang() === 'fr' ? 'en' : 'fr'));
  onLang(() => {
    document.title = title(m());
  });

  const header = h(
    'header',
    { class: 'site-header' },
    h(
      'div',
      { class: 'site-header-inner' },
      h(
        'a',
        { class: 'brand', href: './' },
        logo(),
        h('span', { class: 'brand-name' }, 'mailsign'),
        h(
          'span',
          { class: 'brand-tagline' },
          tr((msg) => msg.brandTagline),
        ),
      ),
      toggle,
    ),
  );
  const main = h('main', { id: 'main', class: 'site-main', tabindex: '-1' });
  // "Encrypted connection" is said only when it is true (local development runs over http).
  const secure = window.location.protocol === 'https:';
  const footer = h(
    'footer',
    { class: 'site-footer' },
    secure ? h('span', { class: 'lock', 'aria-hidden': 'true' }, lockIcon()) : null,
    h(
      'span',
      {},
      tr((msg) => (secure ? msg.footerSecure : msg.footerSecure.split(' · ').slice(1).join(' · '))),
    ),
  );
  const skip = h(
    'a',
    { class: 'skip-link', href: '#main' },
    tr((msg) => msg.skipToContent),
  );
  const root = document.getElementById('app') ?? document.body;
  root.replaceChildren(skip, header, main, footer);
  return { main };
}

export function card(className: string, ...children: Child[]): HTMLElement {
  return h('section', { class: `card ${className}` }, ...children);
}

const SVG = 'http://www.w3.org/2000/svg';

export function svg(viewBox: string, paths: Array<Record<string, string>>, cls: string): SVGSVGElement {
  const el = document.createElementNS(SVG, 'svg');
  el.setAttribute('viewBox', viewBox);
  el.setAttribute('class', cls);
  el.setAttribute('aria-hidden', 'true');
  el.setAttribute('focusable', 'false');
  for (const attrs of paths) {
    const p = document.createElementNS(SVG, attrs.tag ?? 'path');
    for (const [k, v] of Object.entries(attrs)) if (k !== 'tag') p.setAttribute(k, v);
    el.append(p);
  }
  return el;
}

function logo(): SVGSVGElement {
  return svg(
    '0 0 32 32',
    [
      { tag: 'rect', x: '1', y: '1', width: '30', height: '30', rx: '8', fill: 'currentColor' },
      {
        d: 'M8 20c3-7 5-9 6-7s-2 7 0 7 3-6 5-6 1 5 3 5 2-2 3-3',
        fill: 'none',
        stroke: '#fff',
        'stroke-width': '2',
        'stroke-linecap': 'round',
        'stroke-linejoin': 'round',
      },
      { d: 'M8 24h16', stroke: '#fff', 'stroke-opacity': '.55', 'stroke-width': '1.5', 'stroke-linecap': 'round' },
    ],
    'logo',
  );
}

function lockIcon(): SVGSVGElement {
  return svg(
    '0 0 24 24',
    [
      {
        tag: 'rect',
        x: '5',
        y: '11',
        width: '14',
        height: '10',
        rx: '2',
        fill: 'none',
        stroke: 'currentColor',
        'stroke-width': '2',
      },
      { d: 'M8 11V8a4 4 0 0 1 8 0v3', fill: 'none', stroke: 'currentColor', 'stroke-width': '2' },
    ],
    'icon',
  );
}

/** Status icons for the state screens. */
export function stateIcon(kind: 'ok' | 'wait' | 'stop' | 'info'): SVGSVGElement {
  const shapes: Record<typeof kind, Array<Record<string, string>>> = {
    ok: [
      {
        d: 'M7 12.5l3.2 3.2L17 9',
        fill: 'none',
        stroke: 'currentColor',
        'stroke-width': '2.2',
        'stroke-linecap': 'round',
        'stroke-linejoin': 'round',
      },
    ],
    wait: [
      {
        d: 'M12 7v5l3 2',
        fill: 'none',
        stroke: 'currentColor',
        'stroke-width': '2.2',
        'stroke-linecap': 'round',
        'stroke-linejoin': 'round',
      },
    ],
    stop: [
      {
        d: 'M9 9l6 6M15 9l-6 6',
        fill: 'none',
        stroke: 'currentColor',
        'stroke-width': '2.2',
        'stroke-linecap': 'round',
      },
    ],
    info: [
      {
        d: 'M12 11v6M12 7.5v.5',
        fill: 'none',
        stroke: 'currentColor',
        'stroke-width': '2.2',
        'stroke-linecap': 'round',
      },
    ],
  };
  return svg(
    '0 0 24 24',
    [
      {
        tag: 'circle',
        cx: '12',
        cy: '12',
        r: '10',
        fill: 'none',
        stroke: 'currentColor',
        'stroke-width': '1.6',
        'stroke-opacity': '.35',
      },
      ...shapes[kind],
    ],
    `state-icon state-icon-${kind}`,
  );
}
