// Signature boxes on the rendered pages: click or tap to place, drag to move, pull the corner
// handle to resize, keyboard for all of it (arrows move, shift+arrows resize, Delete removes).
// Boxes are stored and positioned in page fractions (CSS percentages), so a resize or a repaint of
// the page never moves them relative to the document.
import { h } from './dom.ts';
import { m, onLang, tr, trAttr } from './locale.ts';
import { onActivate, TAP_SLOP } from './tap.ts';
import { boxAt, clampBox, moveBox, MOVE_STEP, refitBox, resizeBox, RESIZE_STEP, toWire } from './placement.ts';
import type { Box } from './placement.ts';
import type { PageView } from './pdf-view.ts';
import type { SignatureImage } from './signature.ts';
import type { Placement } from './types.ts';

/** Aspect of a box placed before any signature exists: the drawing pad's shape. */
const DEFAULT_SIG_ASPECT = 3;

interface PlacedBox {
  documentId: string;
  page: number;
  pageAspect: number;
  box: Box;
  el: HTMLElement;
  img: HTMLImageElement;
  placeButton: HTMLButtonElement;
}

export class PlacementManager {
  private readonly boxes: PlacedBox[] = [];
  private readonly pages: Array<{
    documentId: string;
    docName: string;
    page: PageView;
    placeButton: HTMLButtonElement;
  }> = [];
  private signature: SignatureImage | null = null;
  private readonly onChange: () => void;

  constructor(onChange: () => void) {
    this.onChange = onChange;
  }

  private get sigAspect(): number {
    return this.signature?.aspect ?? DEFAULT_SIG_ASPECT;
  }

  /** Makes a rendered page a placement target. */
  attachPage(documentId: string, docName: string, page: PageView): void {
    const placeButton = h(
      'button',
      { type: 'button', class: 'btn btn-ghost btn-small place-here' },
      tr((msg) => msg.placeHere),
    );
    page.toolbar.append(placeButton);
    page.surface.classList.add('placeable');
    this.pages.push({ documentId, docName, page, placeButton });
    // A tap or click places a box. Read from the pointer events themselves rather than from the
    // "click" the browser may synthesize, which Chromium drops for a tap made shortly after the
    // page scrolled (see tap.ts). A movement beyond a few pixels is a scroll, and a scroll the
    // browser takes over ends in pointercancel: neither places anything.
    let down: { id: number; x: number; y: number } | null = null;
    page.overlay.addEventListener('pointerdown', (e) => {
      if (e.button !== 0 || (e.target as Element).closest('.sig-box')) return;
      down = { id: e.pointerId, x: e.clientX, y: e.clientY };
    });
    page.overlay.addEventListener('pointercancel', () => {
      down = null;
    });
    page.overlay.addEventListener('pointerup', (e) => {
      const start = down;
      down = null;
      if (!start || start.id !== e.pointerId || (e.target as Element).closest('.sig-box')) return;
      if (Math.hypot(e.clientX - start.x, e.clientY - start.y) > TAP_SLOP) return;
      const rect = page.overlay.getBoundingClientRect();
      this.add(
        documentId,
        docName,
        page,
        placeButton,
        (e.clientX - rect.left) / rect.width,
        (e.clientY - rect.top) / rect.height,
      );
    });
    // A long press on a phone would open the context menu over the page: it is a tap here.
    page.overlay.addEventListener('contextmenu', (e) => e.preventDefault());
    onActivate({ element: placeButton, handler: () => this.placeOnPage(page).el.focus() });
  }

  /** Keyboard and action-bar alternative: a sensible spot (lower middle, where signatures go). */
  placeOnPage(page: PageView): { el: HTMLElement } {
    const known = this.pages.find((p) => p.page === page);
    if (!known) throw new Error('placeOnPage: page not attached');
    return this.add(known.documentId, known.docName, page, known.placeButton, 0.5, 0.78);
  }

  /** The attached pages, in document order. */
  attachedPages(): Array<{ documentId: string; docName: string; page: PageView }> {
    return this.pages.map(({ documentId, docName, page }) => ({ documentId, docName, page }));
  }

  setSignature(signature: SignatureImage | null): void {
    this.signature = signature;
    for (const b of this.boxes) {
      b.box = refitBox(b.box, b.pageAspect, this.sigAspect);
      this.paintImage(b);
      this.position(b);
    }
    this.onChange();
  }

  countFor(documentId: string): number {
    return this.boxes.filter((b) => b.documentId === documentId).length;
  }

  placements(): Placement[] {
    return this.boxes.map((b) => ({ documentId: b.documentId, page: b.page, ...toWire(b.box) }));
  }

  private add(
    documentId: string,
    docName: string,
    page: PageView,
    placeButton: HTMLButtonElement,
    cx: number,
    cy: number,
  ): PlacedBox {
    const box = boxAt(cx, cy, page.aspect, this.sigAspect);
    const img = h('img', { class: 'sig-box-img', alt: '', draggable: 'false' });
    const remove = h(
      'button',
      { type: 'button', class: 'sig-box-remove', tabindex: '-1' },
      h('span', { 'aria-hidden': 'true' }, '×'),
    );
    trAttr(remove, 'aria-label', (msg) => msg.boxRemove);
    trAttr(remove, 'title', (msg) => msg.boxRemove);
    // Both controls sit outside the box (44 px targets), so they never hide the signature.
    const handle = h('span', { class: 'sig-box-handle', 'aria-hidden': 'true' });
    trAttr(handle, 'title', (msg) => msg.boxResize);
    const el = h(
      'div',
      { class: 'sig-box', tabindex: '0', role: 'group' },
      img,
      h(
        'span',
        { class: 'sig-box-placeholder' },
        tr((msg) => msg.boxPlaceholder),
      ),
      remove,
      handle,
    );
    onLang(() => el.setAttribute('aria-label', m().boxAria(page.pageNumber, docName)));
    page.overlay.append(el);
    const placed: PlacedBox = { documentId, page: page.pageNumber, pageAspect: page.aspect, box, el, img, placeButton };
    this.boxes.push(placed);
    this.paintImage(placed);
    this.position(placed);

    remove.addEventListener('click', (e) => {
      e.stopPropagation();
      this.remove(placed);
    });
    el.addEventListener('keydown', (e) => this.onKey(placed, e));
    this.dragging(placed, el, 'move');
    this.dragging(placed, handle, 'resize');
    this.onChange();
    return placed;
  }

  private remove(b: PlacedBox): void {
    const i = this.boxes.indexOf(b);
    if (i >= 0) this.boxes.splice(i, 1);
    b.el.remove();
    b.placeButton.focus();
    this.onChange();
  }

  private onKey(b: PlacedBox, e: KeyboardEvent): void {
    if (e.target !== b.el) return;
    if (e.key === 'Delete' || e.key === 'Backspace') {
      e.preventDefault();
      this.remove(b);
      return;
    }
    const dir: Record<string, [number, number]> = {
      ArrowLeft: [-1, 0],
      ArrowRight: [1, 0],
      ArrowUp: [0, -1],
      ArrowDown: [0, 1],
    };
    const d = dir[e.key];
    if (!d) return;
    e.preventDefault();
    if (e.shiftKey) {
      // Right/Down grow, Left/Up shrink.
      const grow = d[0] + d[1];
      b.box = resizeBox(b.box, b.box.width + grow * RESIZE_STEP, b.pageAspect, this.sigAspect);
    } else {
      b.box = moveBox(b.box, d[0] * MOVE_STEP, d[1] * MOVE_STEP * b.pageAspect);
    }
    this.position(b);
    this.onChange();
  }

  /** Pointer events cover mouse, pen and touch; capture keeps the drag alive outside the box. */
  private dragging(b: PlacedBox, target: HTMLElement, mode: 'move' | 'resize'): void {
    target.addEventListener('pointerdown', (e) => {
      if (e.button !== 0 || (e.target as Element).closest('.sig-box-remove')) return;
      if (mode === 'move' && (e.target as Element).closest('.sig-box-handle')) return;
      e.preventDefault();
      e.stopPropagation();
      b.el.focus({ preventScroll: true });
      const rect = b.el.parentElement?.getBoundingClientRect();
      if (!rect || rect.width === 0) return;
      const start = { x: e.clientX, y: e.clientY, box: { ...b.box } };
      target.setPointerCapture(e.pointerId);
      b.el.classList.add('dragging');
      const move = (ev: PointerEvent): void => {
        const dx = (ev.clientX - start.x) / rect.width;
        const dy = (ev.clientY - start.y) / rect.height;
        b.box =
          mode === 'move'
            ? clampBox({ ...start.box, x: start.box.x + dx, y: start.box.y + dy })
            : resizeBox(start.box, start.box.width + dx, b.pageAspect, this.sigAspect);
        this.position(b);
      };
      const end = (): void => {
        target.removeEventListener('pointermove', move);
        target.removeEventListener('pointerup', end);
        target.removeEventListener('pointercancel', end);
        b.el.classList.remove('dragging');
        this.onChange();
      };
      target.addEventListener('pointermove', move);
      target.addEventListener('pointerup', end);
      target.addEventListener('pointercancel', end);
    });
  }

  private position(b: PlacedBox): void {
    const s = b.el.style;
    s.left = `${b.box.x * 100}%`;
    s.top = `${b.box.y * 100}%`;
    s.width = `${b.box.width * 100}%`;
    s.height = `${b.box.height * 100}%`;
  }

  private paintImage(b: PlacedBox): void {
    if (this.signature) b.img.src = this.signature.dataUrl;
    else b.img.removeAttribute('src');
    b.el.classList.toggle('empty', !this.signature);
  }
}
