// One document of the envelope as a card: its header at once, its pages when the PDF has arrived
// and rendered; when signing, each page becomes a placement target and a navigator entry.
import { ApiError } from './api.ts';
import type { ApiClient } from './api.ts';
import { h } from './dom.ts';
import { tr } from './locale.ts';
import { card, svg } from './layout.ts';
import type { PageNavigator } from './page-navigator.ts';
import { openPdf, PdfView } from './pdf-view.ts';
import type { PlacementManager } from './placement-ui.ts';
import type { DocumentInfo } from './types.ts';

export type DocumentCardOptions = {
  api: ApiClient;
  doc: DocumentInfo;
  /** Where the signer places signatures; null for reading only. */
  placements: PlacementManager | null;
  navigator?: PageNavigator;
  onPages?: () => void;
  /** Receives the rendered view: the page destroys it when it renders again. */
  onView: (view: PdfView) => void;
  /** The page's handling of the problems that end the flow; true when handled. */
  fatal: (err: ApiError) => boolean;
};

export function documentCard(options: DocumentCardOptions): HTMLElement {
  const { api, doc, placements, navigator, onPages, onView, fatal } = options;
  const status = h(
    'p',
    { class: 'doc-status', role: 'status' },
    tr((x) => x.documentLoading),
  );
  const body = h('div', { class: 'doc-body' }, status);
  const el = card(
    'document',
    h(
      'header',
      { class: 'doc-header' },
      docIcon(),
      h('h2', { class: 'doc-name' }, doc.name),
      h(
        'span',
        { class: 'doc-pages muted' },
        tr((x) => x.docPages(doc.pageCount)),
      ),
    ),
    body,
  );
  el.id = `doc-${doc.id}`;
  el.setAttribute('aria-label', doc.name);
  void (async () => {
    try {
      const pdf = await openPdf(await api.bytes(doc.url));
      const pdfView = await PdfView.create(pdf, doc.pages, doc.name, placements !== null);
      onView(pdfView);
      status.remove();
      body.append(pdfView.element);
      pdfView.start();
      if (placements) for (const page of pdfView.pages) placements.attachPage(doc.id, doc.name, page);
      navigator?.addDocument(doc.id, doc.name, pdfView.pages);
      onPages?.();
      el.dataset.loaded = 'true';
    } catch (err) {
      if (err instanceof ApiError && fatal(err)) return;
      status.textContent = '';
      status.append(tr((x) => x.documentError));
      status.classList.add('error');
    }
  })();
  return el;
}

function docIcon(): SVGSVGElement {
  return svg(
    '0 0 24 24',
    [
      {
        d: 'M6 2.5h8l4.5 4.5v14.5H6z M14 2.5V7h4.5 M9 12h6 M9 15.5h6',
        fill: 'none',
        stroke: 'currentColor',
        'stroke-width': '1.6',
        'stroke-linejoin': 'round',
      },
    ],
    'doc-icon',
  );
}
