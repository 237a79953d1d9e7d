// Renders one PDF with pdf.js: every page stacked and scrollable, zoomed to the column's width.
// Pages are laid out at once from their sizes (so placement overlays and scrolling are stable),
// but painted lazily when near the viewport and repainted when the width changes, which keeps a
// 100-page contract cheap on a phone.
import * as pdfjs from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { PDFDocumentProxy, RenderTask } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { h } from './dom.ts';
import { tr, trAttr } from './locale.ts';

/** build.ts copies the worker and pdf.js data files here, versioned so caches never mix them. */
export const PDFJS_DIR = `pdfjs-${pdfjs.version}`;

let workerSet = false;
function ensureWorker(): void {
  if (workerSet) return;
  pdfjs.GlobalWorkerOptions.workerSrc = new URL(`${PDFJS_DIR}/pdf.worker.min.mjs`, document.baseURI).href;
  workerSet = true;
}

export async function openPdf(bytes: ArrayBuffer): Promise<PDFDocumentProxy> {
  ensureWorker();
  const base = new URL(`${PDFJS_DIR}/`, document.baseURI).href;
  return pdfjs.getDocument({
    data: new Uint8Array(bytes),
    // Data files are served next to the page: nothing is fetched from a CDN.
    standardFontDataUrl: `${base}standard_fonts/`,
    cMapUrl: `${base}cmaps/`,
    cMapPacked: true,
    wasmUrl: `${base}wasm/`,
    iccUrl: `${base}iccs/`,
    isEvalSupported: false,
    enableXfa: false,
  }).promise;
}

export interface PageView {
  pageNumber: number;
  /** The page as displayed (position: relative); overlays go inside. */
  surface: HTMLElement;
  /** Layer above the canvas that receives clicks and holds signature boxes. */
  overlay: HTMLElement;
  /** Displayed width / height (after /Rotate, inside the CropBox). */
  aspect: number;
  /** Slot above the page for per-page actions (the "Place on this page" button). */
  toolbar: HTMLElement;
}

interface PageState extends PageView {
  renderedWidth: number;
  task: RenderTask | null;
  visible: boolean;
}

export class PdfView {
  readonly element: HTMLElement;
  readonly pages: PageView[] = [];
  private readonly states: PageState[] = [];
  private readonly pdf: PDFDocumentProxy;
  private observer: IntersectionObserver | null = null;
  private resizeObserver: ResizeObserver | null = null;
  private resizeTimer: number | undefined;

  /** `sizes` are the API's page sizes; pdf.js' own viewport is used for any page they miss. */
  static async create(
    pdf: PDFDocumentProxy,
    sizes: Array<{ width: number; height: number }>,
    docName: string,
    interactive: boolean,
  ): Promise<PdfView> {
    const aspects: number[] = [];
    for (let n = 1; n <= pdf.numPages; n++) {
      const size = sizes[n - 1];
      if (size && size.width > 0 && size.height > 0) {
        aspects.push(size.width / size.height);
      } else {
        const vp = (await pdf.getPage(n)).getViewport({ scale: 1 });
        aspects.push(vp.width / vp.height);
      }
    }
    return new PdfView(pdf, aspects, docName, interactive);
  }

  private constructor(pdf: PDFDocumentProxy, aspects: number[], docName: string, interactive: boolean) {
    this.pdf = pdf;
    this.element = h('div', { class: 'pdf-pages' });
    const total = aspects.length;
    aspects.forEach((aspect, i) => {
      const pageNumber = i + 1;
      const toolbar = h(
        'div',
        { class: 'page-toolbar' },
        h(
          'span',
          { class: 'page-label' },
          tr((m) => m.pageLabel(pageNumber, total)),
        ),
      );
      const overlay = h('div', { class: 'page-overlay' });
      const surface = h('div', { class: 'page-surface', role: 'group', 'data-page': pageNumber }, overlay);
      trAttr(surface, 'aria-label', (m) =>
        interactive ? m.pageAria(pageNumber, total, docName) : m.pageAriaReadOnly(pageNumber, total, docName),
      );
      // aspect-ratio reserves the page's height before it is painted: no layout jumps.
      surface.style.aspectRatio = `${aspect}`;
      this.element.append(h('div', { class: 'page-block' }, toolbar, surface));
      const state: PageState = {
        pageNumber,
        surface,
        overlay,
        aspect,
        toolbar,
        renderedWidth: 0,
        task: null,
        visible: false,
      };
      this.states.push(state);
      this.pages.push(state);
    });
  }

  /** Call once the element is in the document. */
  start(): void {
    this.observer = new IntersectionObserver(
      (entries) => {
        for (const entry of entries) {
          const state = this.states.find((s) => s.surface === entry.target);
          if (!state) continue;
          state.visible = entry.isIntersecting;
          if (state.visible) this.schedule(state);
        }
      },
      { rootMargin: '800px 0px' },
    );
    for (const s of this.states) this.observer.observe(s.surface);
    let lastWidth = this.element.clientWidth;
    this.resizeObserver = new ResizeObserver(() => {
      const width = this.element.clientWidth;
      if (Math.abs(width - lastWidth) < 1) return;
      lastWidth = width;
      // Debounced: a window drag fires dozens of resizes; painting each would stutter.
      window.clearTimeout(this.resizeTimer);
      this.resizeTimer = window.setTimeout(() => {
        for (const s of this.states) if (s.visible) this.schedule(s);
      }, 150);
    });
    this.resizeObserver.observe(this.element);
  }

  destroy(): void {
    this.observer?.disconnect();
    this.resizeObserver?.disconnect();
    for (const s of this.states) s.task?.cancel();
    void this.pdf.destroy();
  }

  /** A page that fails to paint stays blank with its frame; the rest of the document still works. */
  private schedule(state: PageState): void {
    this.paint(state).catch((err: unknown) => console.warn(`page ${state.pageNumber} could not be painted`, err));
  }

  private async paint(state: PageState): Promise<void> {
    const cssWidth = state.surface.clientWidth;
    if (cssWidth === 0 || Math.abs(cssWidth - state.renderedWidth) < 1) return;
    state.renderedWidth = cssWidth;
    state.task?.cancel();
    const page = await this.pdf.getPage(state.pageNumber);
    const base = page.getViewport({ scale: 1 });
    const cssHeight = (cssWidth * base.height) / base.width;
    // Sharp on high-DPI screens, but capped so a large page cannot exhaust a phone's memory.
    const dpr = Math.min(window.devicePixelRatio || 1, 2);
    const outputScale = Math.min(dpr, Math.sqrt(12_000_000 / (cssWidth * cssHeight)));
    const viewport = page.getViewport({ scale: (cssWidth / base.width) * outputScale });
    const canvas = h('canvas', { class: 'page-canvas', 'aria-hidden': 'true' });
    canvas.width = Math.floor(viewport.width);
    canvas.height = Math.floor(viewport.height);
    const task = page.render({ canvas, viewport });
    state.task = task;
    try {
      await task.promise;
    } catch (err) {
      if (err instanceof pdfjs.RenderingCancelledException) return;
      state.renderedWidth = 0;
      throw err;
    }
    // Swap only once painted, so a resize never flashes a blank page.
    state.surface.querySelector('canvas')?.remove();
    state.surface.prepend(canvas);
    state.surface.dataset.rendered = 'true';
    if (state.task === task) state.task = null;
  }
}
