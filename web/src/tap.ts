// Activation that survives Chromium dropping the click of a tap. Measured in the device tests: a
// tap that lands within a few hundred milliseconds after the page scrolled (the page navigator's
// jump, or Playwright's scrollIntoViewIfNeeded before a tap) delivers pointerdown, touchstart,
// pointerup and touchend, but no click follows. Reading the tap from the pointer events makes it
// deterministic; the click that does follow a tap is then ignored, and clicks from a mouse or
// from the keyboard (Enter, Space) work as before.

/** How far (CSS px) a finger may slide and still be tapping rather than scrolling. */
export const TAP_SLOP = 10;

export type OnActivateOptions = { element: HTMLElement; handler: () => void };

export function onActivate(options: OnActivateOptions): void {
  const { element, handler } = options;
  let down: { id: number; x: number; y: number } | null = null;
  let tappedAt = Number.NEGATIVE_INFINITY;
  element.addEventListener('pointerdown', (e) => {
    down = e.pointerType === 'touch' ? { id: e.pointerId, x: e.clientX, y: e.clientY } : null;
    // No compatibility mousedown after the tap: it would move focus back onto this button after
    // the handler moved it where the signer goes next.
    if (down) e.preventDefault();
  });
  element.addEventListener('pointercancel', () => {
    down = null;
  });
  element.addEventListener('pointerup', (e) => {
    const start = down;
    down = null;
    if (!start || start.id !== e.pointerId || (element as HTMLButtonElement).disabled) return;
    if (Math.hypot(e.clientX - start.x, e.clientY - start.y) > TAP_SLOP) return;
    tappedAt = performance.now();
    handler();
  });
  element.addEventListener('click', () => {
    if (performance.now() - tappedAt < 1000) return;
    handler();
  });
}
