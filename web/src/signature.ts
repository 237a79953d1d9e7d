// The signature itself: drawn with signature_pad (mouse, pen, finger) or typed and written in a
// handwriting-style font, for people who cannot draw. Either way the result is a tightly trimmed
// PNG, so the box the signer places has the signature's real shape.
import SignaturePad from 'signature_pad';
import type { PointGroup } from 'signature_pad';
import { h } from './dom.ts';
import { tr, trAttr } from './locale.ts';

export interface SignatureImage {
  dataUrl: string;
  /** width / height of the image. */
  aspect: number;
}

const INK = '#1b2a6b';
/** The bundled handwriting font (same look everywhere), then system ones, then generic cursive. */
export const SCRIPT_FONTS =
  '"Dancing Script", "Segoe Script", "Bradley Hand", "Snell Roundhand", ' +
  '"Apple Chancery", "Brush Script MT", "URW Chancery L", "Z003", cursive';
const TYPED_FONT_PROBE = '96px "Dancing Script"';
/** Upper bound on the exported PNG's width: sharp when stamped, small enough to upload fast. */
const MAX_EXPORT_WIDTH = 1200;

export class SignatureInput {
  readonly element: HTMLElement;
  private readonly pad: SignaturePad;
  private readonly canvas: HTMLCanvasElement;
  private readonly typed: HTMLInputElement;
  private readonly preview: HTMLImageElement;
  private mode: 'draw' | 'type' = 'draw';
  private drawn: SignatureImage | null = null;
  private typedImage: SignatureImage | null = null;
  private readonly listeners: Array<() => void> = [];
  private lastCanvasWidth = 0;

  constructor() {
    // Not focusable: drawing needs a pointer; keyboard users have the typed-name tab.
    this.canvas = h('canvas', { class: 'pad-canvas', role: 'img' });
    trAttr(this.canvas, 'aria-label', (m) => m.padAria);
    const placeholder = h(
      'span',
      { class: 'pad-placeholder', 'aria-hidden': 'true' },
      tr((m) => m.padPlaceholder),
    );
    const padBox = h(
      'div',
      { class: 'pad' },
      this.canvas,
      h('span', { class: 'pad-baseline', 'aria-hidden': 'true' }),
      placeholder,
    );
    this.pad = new SignaturePad(this.canvas, { penColor: INK, minWidth: 0.8, maxWidth: 2.6, throttle: 8 });
    this.pad.addEventListener('endStroke', () => this.updateDrawn());
    this.pad.addEventListener('beginStroke', () => padBox.classList.add('has-ink'));

    const undo = h(
      'button',
      { type: 'button', class: 'btn btn-ghost btn-small' },
      tr((m) => m.undo),
    );
    undo.addEventListener('click', () => {
      const data: PointGroup[] = this.pad.toData();
      data.pop();
      this.pad.fromData(data);
      this.updateDrawn();
    });
    const clearBtn = h(
      'button',
      { type: 'button', class: 'btn btn-ghost btn-small' },
      tr((m) => m.clear),
    );
    clearBtn.addEventListener('click', () => {
      this.pad.clear();
      this.updateDrawn();
    });
    const drawPanel = h(
      'div',
      { class: 'sig-panel', role: 'tabpanel', id: 'sig-panel-draw', 'aria-labelledby': 'sig-tab-draw' },
      h(
        'p',
        { class: 'hint' },
        tr((m) => m.stepSignatureHint),
      ),
      padBox,
      h('div', { class: 'row row-end' }, undo, clearBtn),
    );
    this.updatePadClass = () => padBox.classList.toggle('has-ink', !this.pad.isEmpty());

    this.typed = h('input', { type: 'text', id: 'sig-typed', class: 'input', autocomplete: 'name', maxlength: '60' });
    this.typed.addEventListener('input', () => this.updateTyped());
    this.preview = h('img', { class: 'typed-preview', alt: '' });
    trAttr(this.preview, 'aria-label', (m) => m.typedPreviewAria);
    const typePanel = h(
      'div',
      { class: 'sig-panel', role: 'tabpanel', id: 'sig-panel-type', 'aria-labelledby': 'sig-tab-type', hidden: true },
      h(
        'p',
        { class: 'hint' },
        tr((m) => m.typedHint),
      ),
      h(
        'label',
        { for: 'sig-typed', class: 'label' },
        tr((m) => m.typedLabel),
      ),
      this.typed,
      h('div', { class: 'typed-box' }, this.preview),
    );

    const tabDraw = this.tab(
      'draw',
      tr((m) => m.tabDraw),
      true,
    );
    const tabType = this.tab(
      'type',
      tr((m) => m.tabType),
      false,
    );
    const select = (mode: 'draw' | 'type'): void => {
      this.mode = mode;
      tabDraw.setAttribute('aria-selected', String(mode === 'draw'));
      tabType.setAttribute('aria-selected', String(mode === 'type'));
      tabDraw.tabIndex = mode === 'draw' ? 0 : -1;
      tabType.tabIndex = mode === 'type' ? 0 : -1;
      drawPanel.hidden = mode !== 'draw';
      typePanel.hidden = mode !== 'type';
      if (mode === 'draw') this.fitCanvas();
      this.emit();
    };
    tabDraw.addEventListener('click', () => select('draw'));
    tabType.addEventListener('click', () => select('type'));
    // Arrow keys move between tabs, as the ARIA tabs pattern expects.
    const tabKeys = (e: KeyboardEvent): void => {
      if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
      const next = this.mode === 'draw' ? 'type' : 'draw';
      select(next);
      (next === 'draw' ? tabDraw : tabType).focus();
    };
    tabDraw.addEventListener('keydown', tabKeys);
    tabType.addEventListener('keydown', tabKeys);

    this.element = h(
      'div',
      { class: 'signature-input' },
      h('div', { class: 'tabs', role: 'tablist' }, tabDraw, tabType),
      drawPanel,
      typePanel,
    );
    // Only a width change matters: phones resize the viewport height when the URL bar moves.
    new ResizeObserver(() => this.fitCanvas()).observe(padBox);
  }

  private updatePadClass: () => void = () => undefined;

  private tab(mode: 'draw' | 'type', label: Text, selected: boolean): HTMLButtonElement {
    return h(
      'button',
      {
        type: 'button',
        role: 'tab',
        class: 'tab',
        id: `sig-tab-${mode}`,
        'aria-controls': `sig-panel-${mode}`,
        'aria-selected': String(selected),
        tabindex: selected ? '0' : '-1',
      },
      label,
    );
  }

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  current(): SignatureImage | null {
    return this.mode === 'draw' ? this.drawn : this.typedImage;
  }

  private emit(): void {
    for (const l of this.listeners) l();
  }

  /** High-DPI: the backing store follows devicePixelRatio, strokes are kept across resizes. */
  private fitCanvas(): void {
    const width = this.canvas.offsetWidth;
    if (width === 0 || width === this.lastCanvasWidth) return;
    const ratio = Math.max(window.devicePixelRatio || 1, 1);
    const data = this.pad.toData();
    const oldWidth = this.lastCanvasWidth;
    this.lastCanvasWidth = width;
    this.canvas.width = width * ratio;
    this.canvas.height = this.canvas.offsetHeight * ratio;
    this.canvas.getContext('2d')?.scale(ratio, ratio);
    // Scale the strokes with the pad so a rotated phone keeps the whole signature in view.
    if (oldWidth > 0 && data.length > 0) {
      const k = width / oldWidth;
      for (const group of data)
        for (const p of group.points) {
          p.x *= k;
          p.y *= k;
        }
    }
    this.pad.fromData(data);
    this.updatePadClass();
  }

  private updateDrawn(): void {
    this.updatePadClass();
    this.drawn = this.pad.isEmpty() ? null : trimCanvas(this.canvas);
    this.emit();
  }

  private updateTyped(): void {
    const name = this.typed.value.trim();
    this.typedImage = name ? renderTypedName(name) : null;
    if (this.typedImage) this.preview.src = this.typedImage.dataUrl;
    else this.preview.removeAttribute('src');
    this.emit();
    // A canvas does not wait for web fonts: draw again once the bundled font is there.
    if (name && !document.fonts.check(TYPED_FONT_PROBE, name)) {
      void document.fonts.load(TYPED_FONT_PROBE, name).then(() => {
        if (this.typed.value.trim() === name) this.updateTyped();
      });
    }
  }
}

/** Crops the transparent margin around the ink, keeping a little air, and caps the size. */
export function trimCanvas(source: HTMLCanvasElement): SignatureImage | null {
  const ctx = source.getContext('2d');
  if (!ctx) return null;
  const { width, height } = source;
  const data = ctx.getImageData(0, 0, width, height).data;
  let top = height,
    left = width,
    right = -1,
    bottom = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if ((data[(y * width + x) * 4 + 3] ?? 0) > 8) {
        if (x < left) left = x;
        if (x > right) right = x;
        if (y < top) top = y;
        if (y > bottom) bottom = y;
      }
    }
  }
  if (right < 0) return null;
  const pad = Math.round(Math.max(width, height) * 0.02);
  left = Math.max(0, left - pad);
  top = Math.max(0, top - pad);
  right = Math.min(width - 1, right + pad);
  bottom = Math.min(height - 1, bottom + pad);
  const w = right - left + 1;
  const hgt = bottom - top + 1;
  const scale = Math.min(1, MAX_EXPORT_WIDTH / w);
  const out = document.createElement('canvas');
  out.width = Math.max(1, Math.round(w * scale));
  out.height = Math.max(1, Math.round(hgt * scale));
  out.getContext('2d')?.drawImage(source, left, top, w, hgt, 0, 0, out.width, out.height);
  return { dataUrl: out.toDataURL('image/png'), aspect: out.width / out.height };
}

/** Writes the typed name in a handwriting-style font on a transparent canvas. */
export function renderTypedName(name: string): SignatureImage | null {
  const size = 96;
  const font = `${size}px ${SCRIPT_FONTS}`;
  const probe = document.createElement('canvas').getContext('2d');
  if (!probe) return null;
  probe.font = font;
  const textWidth = Math.ceil(probe.measureText(name).width);
  const canvas = document.createElement('canvas');
  canvas.width = Math.min(textWidth + size, 2400);
  canvas.height = Math.round(size * 1.6);
  const ctx = canvas.getContext('2d');
  if (!ctx) return null;
  ctx.font = font;
  ctx.fillStyle = INK;
  ctx.textBaseline = 'middle';
  ctx.fillText(name, size / 2, canvas.height / 2, canvas.width - size);
  return trimCanvas(canvas);
}
