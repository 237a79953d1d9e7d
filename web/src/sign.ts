// Entry point of sign.html: token -> GET /api/signing -> either a state screen or the signing
// workspace (signature, placement on the rendered documents, phone code, consent, submit).
// Errors are handled by problem code; anything that ends the flow re-reads the envelope so the
// page always shows the server's truth.
import { ApiError, createApi } from './api.ts';
import type { ApiClient } from './api.ts';
import { apiUrl, loadConfig } from './config.ts';
import { clear, h } from './dom.ts';
import { tr } from './locale.ts';
import { card, mountFrame } from './layout.ts';
import type { PdfView } from './pdf-view.ts';
import { deriveState } from './state.ts';
import type { PageState } from './state.ts';
import { takeToken } from './token.ts';
import type { SigningView } from './types.ts';
import { requestSummary, signersList, stateCard, stateScreen } from './views.ts';
import { documentCard } from './document-card.ts';
import { signingWorkspace } from './signing-workspace.ts';

const TOKEN_KEY = 'mailsign.signing.token';

function sessionStore(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}

class SigningPage {
  private readonly main: HTMLElement;
  private readonly api: ApiClient;
  private views: PdfView[] = [];

  constructor(main: HTMLElement, api: ApiClient) {
    this.main = main;
    this.api = api;
  }

  async load(): Promise<void> {
    let view: SigningView;
    try {
      view = await this.api.get<SigningView>('/api/signing');
    } catch (err) {
      this.showError(err);
      return;
    }
    this.render(view, deriveState(view));
  }

  /** Codes that end the current flow. Returns true when handled. */
  readonly fatal = (err: ApiError): boolean => {
    switch (err.code) {
      case 'TOKEN_INVALID':
      case 'LINK_EXPIRED':
        this.showError(err);
        return true;
      case 'ENVELOPE_CLOSED':
      case 'ALREADY_SIGNED':
      case 'NOT_YOUR_TURN':
        // The envelope moved on under us: show its real state.
        void this.load();
        return true;
      default:
        return false;
    }
  };

  /** Rendered document views, destroyed when the page renders again. */
  private readonly trackView = (pdfView: PdfView): void => {
    this.views.push(pdfView);
  };

  private reset(): void {
    for (const v of this.views) v.destroy();
    this.views = [];
    clear(this.main);
    window.scrollTo({ top: 0 });
  }

  private focusHeading(): void {
    this.main.querySelector<HTMLElement>('.state-title')?.focus({ preventScroll: true });
  }

  showError(err: unknown): void {
    this.reset();
    const code = err instanceof ApiError ? err.code : 'UNKNOWN';
    if (code === 'TOKEN_INVALID') {
      this.main.append(
        stateCard(
          'stop',
          (x) => x.stateInvalidTitle,
          (x) => x.stateInvalidBody,
        ),
      );
    } else if (code === 'LINK_EXPIRED') {
      this.main.append(
        stateCard(
          'info',
          (x) => x.stateLinkExpiredTitle,
          (x) => x.stateLinkExpiredBody,
        ),
      );
    } else {
      const retry = h(
        'button',
        { type: 'button', class: 'btn btn-primary' },
        tr((x) => x.retry),
      );
      retry.addEventListener('click', () => {
        this.reset();
        this.main.append(loadingCard());
        void this.load();
      });
      this.main.append(
        stateCard(
          'stop',
          (x) => x.stateErrorTitle,
          (x) => x.stateErrorBody,
          h('div', { class: 'row' }, retry),
        ),
      );
    }
    this.focusHeading();
  }

  render(view: SigningView, state: PageState): void {
    this.reset();
    const context = h('div', { class: 'context-grid' }, requestSummary(view), signersList(view));
    if (state.kind === 'sign') {
      this.main.append(
        context,
        signingWorkspace({
          api: this.api,
          view,
          fatal: this.fatal,
          onView: this.trackView,
          onSigned: (signed) => this.render(signed, { kind: 'justSigned' }),
          reload: () => void this.load(),
        }),
      );
      return;
    }
    this.main.append(stateScreen(state), context);
    if (state.kind === 'notYourTurn') {
      // Reading ahead is useful while waiting; placement stays off until it is their turn.
      const docs = h('div', { class: 'documents documents-readonly' });
      this.main.append(docs);
      for (const doc of view.documents)
        docs.append(documentCard({ api: this.api, doc, placements: null, onView: this.trackView, fatal: this.fatal }));
    }
    this.focusHeading();
  }
}

function loadingCard(): HTMLElement {
  return card(
    'loading',
    h('div', { class: 'spinner', 'aria-hidden': 'true' }),
    h(
      'p',
      { role: 'status' },
      tr((x) => x.loading),
    ),
  );
}

async function start(): Promise<void> {
  const { main } = mountFrame((x) => x.titleSign);
  main.append(loadingCard());
  // Read the token before anything async, so it leaves the address bar at once.
  const token = takeToken({ location: window.location, history: window.history, storage: sessionStore() }, TOKEN_KEY);
  // Another signing link pasted into this tab only changes the fragment: start over with it.
  window.addEventListener('hashchange', () => {
    if (/(^#|&)t=/.test(window.location.hash)) window.location.reload();
  });
  const config = await loadConfig();
  const api = createApi({ resolve: (p) => apiUrl(config, p, window.location.origin), token: token ?? '' });
  const page = new SigningPage(main, api);
  if (!token) {
    page.showError(new ApiError({ status: 401, code: 'TOKEN_INVALID' }));
    return;
  }
  await page.load();
}

void start();
