// Long documents: a select listing every page of every document, sticky above the pages, so a
// signer jumps to "contrat.pdf · page 37/40" instead of scrolling through 36 pages.
import { h, uid } from './dom.ts';
import { onLang } from './locale.ts';
import type { PageView } from './pdf-view.ts';
import { sm, ts } from './sign-i18n.ts';

type Entry = { docName: string; total: number; page: PageView };

export class PageNavigator {
  readonly element: HTMLElement;
  private readonly select: HTMLSelectElement;
  private readonly entries = new Map<string, Entry[]>();

  constructor(private readonly documentOrder: string[]) {
    const id = uid('page-nav');
    this.select = h('select', { id, class: 'input page-nav-select' });
    this.select.addEventListener('change', () => this.jump());
    this.element = h(
      'nav',
      { class: 'page-nav', hidden: true },
      h(
        'label',
        { for: id, class: 'page-nav-label' },
        ts((x) => x.navLabel),
      ),
      this.select,
    );
    onLang(() => {
      this.element.setAttribute('aria-label', sm().navLabel);
      this.render();
    });
  }

  /** Adds a document's pages once they are laid out. */
  addDocument(documentId: string, docName: string, pages: PageView[]): void {
    this.entries.set(
      documentId,
      pages.map((page) => ({ docName, total: pages.length, page })),
    );
    this.render();
  }

  private all(): Entry[] {
    return this.documentOrder.flatMap((id) => this.entries.get(id) ?? []);
  }

  private render(): void {
    const all = this.all();
    const selected = this.select.selectedIndex;
    this.select.replaceChildren(
      ...all.map((e, i) => h('option', { value: String(i) }, sm().navPage(e.docName, e.page.pageNumber, e.total))),
    );
    if (selected >= 0 && selected < all.length) this.select.selectedIndex = selected;
    // Worth it only when there is somewhere to jump to.
    this.element.hidden = all.length < 2;
  }

  private jump(): void {
    const entry = this.all()[Number(this.select.value)];
    if (!entry) return;
    entry.page.surface.parentElement?.scrollIntoView({ block: 'start' });
  }
}
