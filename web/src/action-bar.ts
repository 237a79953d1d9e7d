// Phones and tablets: a compact bar fixed at the bottom of the screen with the current step,
// "Place here" (on the page in view) and "Continue"/"Sign", so nobody has to scroll past every
// page of a long document to find the next step. Its status line is a polite live region, which
// also tells screen-reader users where a signature was placed.
import { h } from './dom.ts';
import { onLang } from './locale.ts';
import type { PlacementManager } from './placement-ui.ts';
import { sm, ts } from './sign-i18n.ts';
import { onActivate } from './tap.ts';

export type StepKind = 'signature' | 'place' | 'phone' | 'finish';

export type CurrentStep = { kind: StepKind; number: number; total: number; missingDocs: number; target: HTMLElement };

export type ActionBarOptions = {
  placements: PlacementManager;
  /** The step to do now and where it is on the page. */
  current: () => CurrentStep;
  /** Called for "Sign" once every step before it is done. */
  onSign: () => void;
};

export class ActionBar {
  readonly element: HTMLElement;
  private readonly status: HTMLElement;
  private readonly next: HTMLButtonElement;
  private readonly announcer: HTMLElement;

  constructor(private readonly options: ActionBarOptions) {
    this.status = h('p', { class: 'action-status' });
    this.announcer = h('p', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite' });
    const placeHere = h(
      'button',
      { type: 'button', class: 'btn btn-secondary action-place' },
      ts((x) => x.actionPlaceHere),
    );
    onLang(() => placeHere.setAttribute('aria-label', sm().actionPlaceHereAria));
    onActivate({ element: placeHere, handler: () => this.placeHere() });
    this.next = h('button', { type: 'button', class: 'btn btn-primary action-next' });
    onActivate({ element: this.next, handler: () => this.goNext() });
    this.element = h(
      'div',
      { class: 'action-bar', role: 'region' },
      this.status,
      h('div', { class: 'action-buttons' }, placeHere, this.next),
      this.announcer,
    );
    onLang(() => {
      this.element.setAttribute('aria-label', sm().actionBarLabel);
      this.update();
    });
  }

  update(): void {
    const step = this.options.current();
    const what = {
      signature: sm().actionSignature,
      place: sm().actionPlace(step.missingDocs),
      phone: sm().actionPhone,
      finish: sm().actionFinish,
    }[step.kind];
    this.status.textContent = sm().actionStep(step.number, step.total, what);
    this.next.textContent = step.kind === 'finish' ? sm().actionSign : sm().actionNext;
    this.element.dataset.step = step.kind;
  }

  /** Places a box on the page that fills most of the screen, or goes to a page if none shows. */
  private placeHere(): void {
    const viewport = window.innerHeight;
    let best: { visible: number; entry: ReturnType<PlacementManager['attachedPages']>[number] } | null = null;
    for (const entry of this.options.placements.attachedPages()) {
      const rect = entry.page.surface.getBoundingClientRect();
      const visible = Math.min(rect.bottom, viewport - this.element.offsetHeight) - Math.max(rect.top, 0);
      if (visible > 0 && (!best || visible > best.visible)) best = { visible, entry };
    }
    if (!best) {
      this.options.current().target.scrollIntoView({ block: 'start' });
      return;
    }
    const placed = this.options.placements.placeOnPage(best.entry.page);
    placed.el.focus({ preventScroll: true });
    this.announcer.textContent = sm().placedAnnouncement(best.entry.page.pageNumber, best.entry.docName);
  }

  private goNext(): void {
    const step = this.options.current();
    if (step.kind === 'finish') {
      this.options.onSign();
      return;
    }
    step.target.scrollIntoView({ block: 'start' });
    const focusable = step.target.matches('[tabindex], button, input')
      ? step.target
      : step.target.querySelector<HTMLElement>('h2, [tabindex="-1"]');
    if (focusable && !focusable.hasAttribute('tabindex')) focusable.setAttribute('tabindex', '-1');
    focusable?.focus({ preventScroll: true });
  }
}
