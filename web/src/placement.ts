// Placement geometry, in fractions of the page as displayed (origin top-left), which is exactly
// what the API takes. Pure functions: the UI converts pixels to fractions once and everything
// else (default size, clamping, keeping the signature's aspect) is tested here without a browser.

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Default width of a new box, as a fraction of the page width. */
export const DEFAULT_WIDTH = 0.3;
/** Smallest width we let a box shrink to: below this a stamp is unreadable. */
export const MIN_WIDTH = 0.05;
/** Keyboard steps, as fractions of the page. */
export const MOVE_STEP = 0.01;
export const RESIZE_STEP = 0.02;

const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));

/** Widest box that keeps the signature's aspect and still fits on the page. */
export function maxWidth(pageAspect: number, sigAspect: number): number {
  return Math.min(1, sigAspect / pageAspect);
}

/** Height fraction of a box `width` wide whose pixels keep the signature's aspect. */
export function heightFor(width: number, pageAspect: number, sigAspect: number): number {
  return (width * pageAspect) / sigAspect;
}

/** Keeps the box on the page: size within (0, 1], then position so that it lies fully inside. */
export function clampBox(box: Box): Box {
  const width = clamp(box.width, 0.001, 1);
  const height = clamp(box.height, 0.001, 1);
  return { width, height, x: clamp(box.x, 0, 1 - width), y: clamp(box.y, 0, 1 - height) };
}

/** A new box centered on the point the signer clicked or tapped. */
export function boxAt(cx: number, cy: number, pageAspect: number, sigAspect: number, width = DEFAULT_WIDTH): Box {
  const w = clamp(width, Math.min(MIN_WIDTH, maxWidth(pageAspect, sigAspect)), maxWidth(pageAspect, sigAspect));
  const hgt = heightFor(w, pageAspect, sigAspect);
  return clampBox({ x: cx - w / 2, y: cy - hgt / 2, width: w, height: hgt });
}

export function moveBox(box: Box, dx: number, dy: number): Box {
  return clampBox({ ...box, x: box.x + dx, y: box.y + dy });
}

/**
 * Resizes from the top-left corner (the handle sits bottom-right), keeping the signature's
 * aspect; the box stops growing at the page edge instead of sliding.
 */
export function resizeBox(box: Box, width: number, pageAspect: number, sigAspect: number): Box {
  const fitX = 1 - box.x;
  const fitY = ((1 - box.y) * sigAspect) / pageAspect;
  const hi = Math.min(maxWidth(pageAspect, sigAspect), fitX, fitY);
  const lo = Math.min(MIN_WIDTH, hi);
  const w = clamp(width, lo, hi);
  return clampBox({ ...box, width: w, height: heightFor(w, pageAspect, sigAspect) });
}

/** The signature changed shape (redrawn, typed): keep width and position, follow the new aspect. */
export function refitBox(box: Box, pageAspect: number, sigAspect: number): Box {
  const w = Math.min(box.width, maxWidth(pageAspect, sigAspect));
  return clampBox({ ...box, width: w, height: heightFor(w, pageAspect, sigAspect) });
}

/** Fractions sent to the API: rounded (stable JSON, no float noise) and still inside the page. */
export function toWire(box: Box): Box {
  const r = (v: number): number => Math.round(v * 1e6) / 1e6;
  const c = clampBox(box);
  const width = r(c.width);
  const height = r(c.height);
  return {
    width,
    height,
    x: Math.min(r(c.x), r(1 - width)),
    y: Math.min(r(c.y), r(1 - height)),
  };
}
