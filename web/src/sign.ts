// Entry point of sign.html: token -> GET /api/signing -> either a state screen or the signing
// workspace (signature, placement on the rendered documents, phone code, consent, submit).
// Errors are handled by problem code; anything that ends the flow re-reads the envelope so the
// page always shows the server's truth.
import { ApiError, createApi } from './api.ts';
import type { ApiClient } from './api.ts';
import { apiUrl, loadConfig } from './config.ts';
import { clear, h, uid } from './dom.ts';
import { m, onLang, tr, trAttr } from './locale.ts';
import { card, mountFrame, svg } from './layout.ts';
import { openPdf, PdfView } from './pdf-view.ts';
import { PhoneStep } from './phone-step.ts';
import { PlacementManager } from './placement-ui.ts';
import { ActionBar } from './action-bar.ts';
import { PageNavigator } from './page-navigator.ts';
import { problemMessage } from './problems.ts';
import { SignatureInput } from './signature.ts';
import { deriveState } from './state.ts';
import type { PageState } from './state.ts';
import { takeToken } from './token.ts';
import type { DocumentInfo, SigningView } from './types.ts';
import { requestSummary, signersList, stateCard, stateScreen } from './views.ts';

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
      this.main.append(context, this.workspace(view));
      return;
    }
    this.main.append(stateScreen(state), context);
    if (state.kind === 'notYourTurn') {
      // Reading ahead is useful while waiting; placement stays off until it is their turn.
      const docs = h('div', { class: 'documents documents-readonly' });
      this.main.append(docs);
      for (const doc of view.documents) docs.append(this.documentCard(doc, null));
    }
    this.focusHeading();
  }

  private documentCard(
    doc: DocumentInfo,
    placements: PlacementManager | null,
    navigator?: PageNavigator,
    onPages?: () => void,
  ): HTMLElement {
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
        const pdf = await openPdf(await this.api.bytes(doc.url));
        const pdfView = await PdfView.create(pdf, doc.pages, doc.name, placements !== null);
        this.views.push(pdfView);
        status.remove();
        body.append(pdfView.element);
        pdfView.start();
        if (placements) for (const page of pdfView.pages) placements.attachPage(doc.id, doc.name, page);
        navigator?.addDocument(doc.id, doc.name, pdfView.pages);
        onPages?.();
        el.dataset.loaded = 'true';
      } catch (err) {
        if (err instanceof ApiError && this.fatal(err)) return;
        status.textContent = '';
        status.append(tr((x) => x.documentError));
        status.classList.add('error');
      }
    })();
    return el;
  }

  private workspace(view: SigningView): HTMLElement {
    const signature = new SignatureInput();
    const checklist = h('ul', { class: 'doc-checklist' });
    const counts = new Map<string, HTMLElement>();
    let refreshMissing: () => void = () => undefined;
    let refreshBar: () => void = () => undefined;
    const update = (): void => {
      for (const doc of view.documents) {
        const n = placements.countFor(doc.id);
        const badge = counts.get(doc.id);
        if (badge) {
          badge.textContent = m().placeCount(n);
          badge.classList.toggle('badge-signed', n > 0);
        }
      }
      refreshMissing();
      refreshBar();
    };
    const placements = new PlacementManager(update);
    signature.onChange(() => placements.setSignature(signature.current()));

    for (const doc of view.documents) {
      const badge = h('span', { class: 'badge badge-pending' });
      counts.set(doc.id, badge);
      const link = h('a', { href: `#doc-${doc.id}`, class: 'doc-link' }, doc.name);
      trAttr(link, 'aria-label', (x) => x.goToDocument(doc.name));
      link.addEventListener('click', (e) => {
        // In-page jump without putting anything back in the URL fragment.
        e.preventDefault();
        document.getElementById(`doc-${doc.id}`)?.scrollIntoView({ behavior: motion(), block: 'start' });
      });
      checklist.append(h('li', {}, link, badge));
    }
    onLang(update);

    const phone = new PhoneStep(this.api, view.you.phoneVerified, update, this.fatal);
    const phoneStep = step(
      'phone',
      3,
      (x) => x.stepPhoneTitle,
      h(
        'p',
        { class: 'hint' },
        tr((x) => x.stepPhoneHint),
      ),
      phone.element,
    );
    phoneStep.hidden = view.you.phoneVerified;
    const finishNumber = view.you.phoneVerified ? 3 : 4;

    // Step 4: consent, submit, decline.
    const consentId = uid('consent');
    const consent = h('input', { type: 'checkbox', id: consentId, class: 'checkbox' });
    const missing = h('div', { class: 'missing', role: 'alert', hidden: true });
    const error = h('p', { class: 'field-message', role: 'alert' });
    const submit = h(
      'button',
      { type: 'button', class: 'btn btn-primary btn-block' },
      tr((x) => x.submit),
    );
    const decline = h(
      'button',
      { type: 'button', class: 'btn btn-link btn-danger-link' },
      tr((x) => x.decline),
    );
    consent.addEventListener('change', update);
    signature.onChange(update);

    const missingItems = (): string[] => {
      const items: string[] = [];
      if (!signature.current()) items.push(m().missingSignature);
      for (const doc of view.documents)
        if (placements.countFor(doc.id) === 0) items.push(m().missingPlacement(doc.name));
      if (!phone.verified) items.push(m().missingPhone);
      if (!consent.checked) items.push(m().missingConsent);
      return items;
    };
    refreshMissing = () => {
      if (missing.hidden) return;
      const items = missingItems();
      if (items.length === 0) {
        missing.hidden = true;
        return;
      }
      missing.replaceChildren(h('p', {}, m().missingTitle), h('ul', {}, ...items.map((t) => h('li', {}, t))));
    };

    let busy = false;
    submit.addEventListener('click', () => {
      if (busy) return;
      error.textContent = '';
      if (missingItems().length > 0) {
        missing.hidden = false;
        refreshMissing();
        return;
      }
      const image = signature.current();
      if (!image) return;
      busy = true;
      submit.disabled = true;
      submit.replaceChildren(tr((x) => x.submitting));
      void this.api
        .post('/api/signing/signature', { image: image.dataUrl, placements: placements.placements(), consent: true })
        .then(
          () => {
            const signed: SigningView = {
              ...view,
              you: { ...view.you, status: 'signed', yourTurn: false },
              signers: view.signers.map((s) => (s.position === view.you.position ? { ...s, status: 'signed' } : s)),
            };
            this.render(signed, { kind: 'justSigned' });
          },
          (err: unknown) => {
            busy = false;
            submit.disabled = false;
            submit.replaceChildren(tr((x) => x.submit));
            const apiErr = err instanceof ApiError ? err : new ApiError({ status: 0, code: 'UNKNOWN' });
            if (this.fatal(apiErr)) return;
            if (apiErr.code === 'PHONE_NOT_VERIFIED') {
              phone.reset();
              phoneStep.hidden = false;
              phoneStep.scrollIntoView({ behavior: motion(), block: 'center' });
            }
            error.textContent = problemMessage(m(), apiErr.problem);
          },
        );
    });
    decline.addEventListener('click', () => this.openDecline(decline));

    const finish = step(
      'finish',
      finishNumber,
      (x) => x.stepFinishTitle,
      h(
        'div',
        { class: 'consent' },
        consent,
        h(
          'label',
          { for: consentId },
          tr((x) => x.consent),
        ),
      ),
      missing,
      error,
      submit,
      h('div', { class: 'row row-center' }, decline),
    );

    const navigator = new PageNavigator(view.documents.map((d) => d.id));
    const docs = h('div', { class: 'documents' }, navigator.element);
    const docCards = new Map<string, HTMLElement>();
    for (const doc of view.documents) {
      const docCard = this.documentCard(doc, placements, navigator, update);
      docCards.set(doc.id, docCard);
      docs.append(docCard);
    }

    const signatureStep = step('signature', 1, (x) => x.stepSignatureTitle, signature.element);
    const placeStep = step(
      'place',
      2,
      (x) => x.stepPlaceTitle,
      h(
        'p',
        { class: 'hint' },
        tr((x) => x.stepPlaceHint),
      ),
      checklist,
    );
    const bar = new ActionBar({
      placements,
      current: () => {
        const total = finishNumber;
        if (!signature.current()) return { kind: 'signature', number: 1, total, missingDocs: 0, target: signatureStep };
        const missingDocs = view.documents.filter((d) => placements.countFor(d.id) === 0);
        if (missingDocs.length > 0) {
          const target = docCards.get(missingDocs[0]!.id) ?? placeStep;
          return { kind: 'place', number: 2, total, missingDocs: missingDocs.length, target };
        }
        if (!phone.verified) return { kind: 'phone', number: 3, total, missingDocs: 0, target: phoneStep };
        return { kind: 'finish', number: finishNumber, total, missingDocs: 0, target: finish };
      },
      onSign: () => {
        finish.scrollIntoView({ block: 'center' });
        (consent.checked ? submit : consent).focus({ preventScroll: true });
        if (consent.checked) submit.click();
      },
    });
    refreshBar = () => bar.update();
    update();

    // Desktop: the steps form one sticky column beside the documents. Phones and tablets: the
    // column dissolves (display: contents) into reading order, and the action bar leads.
    return h(
      'div',
      { class: 'workspace' },
      docs,
      h('div', { class: 'steps' }, signatureStep, placeStep, phoneStep, finish),
      bar.element,
    );
  }

  private openDecline(opener: HTMLElement): void {
    const reasonId = uid('reason');
    const titleId = uid('decline-title');
    const reason = h('textarea', {
      id: reasonId,
      class: 'input textarea',
      rows: '4',
      maxlength: '1000',
      required: true,
    });
    const error = h('p', { class: 'field-message', role: 'alert' });
    const cancel = h(
      'button',
      { type: 'button', class: 'btn btn-secondary' },
      tr((x) => x.cancel),
    );
    const confirm = h(
      'button',
      { type: 'submit', class: 'btn btn-danger' },
      tr((x) => x.declineConfirm),
    );
    const form = h(
      'form',
      { class: 'stack', novalidate: true },
      h(
        'h2',
        { id: titleId, class: 'dialog-title' },
        tr((x) => x.declineTitle),
      ),
      h(
        'p',
        { class: 'hint' },
        tr((x) => x.declineIntro),
      ),
      h(
        'label',
        { for: reasonId, class: 'label' },
        tr((x) => x.declineReasonLabel),
      ),
      reason,
      error,
      h('div', { class: 'row row-end row-wrap' }, cancel, confirm),
    );
    reason.addEventListener('input', () => {
      error.textContent = '';
    });
    const dialog = h('dialog', { class: 'dialog', 'aria-labelledby': titleId }, form);
    document.body.append(dialog);
    const close = (): void => {
      dialog.close();
      dialog.remove();
      if (opener.isConnected) opener.focus();
    };
    cancel.addEventListener('click', close);
    dialog.addEventListener('cancel', (e) => {
      e.preventDefault();
      close();
    });
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const text = reason.value.trim();
      if (!text) {
        error.textContent = m().declineReasonRequired;
        reason.focus();
        return;
      }
      confirm.disabled = true;
      void this.api.post('/api/signing/decline', { reason: text }).then(
        () => {
          dialog.close();
          dialog.remove();
          void this.load();
        },
        (err: unknown) => {
          confirm.disabled = false;
          const apiErr = err instanceof ApiError ? err : new ApiError({ status: 0, code: 'UNKNOWN' });
          if (['TOKEN_INVALID', 'LINK_EXPIRED', 'ENVELOPE_CLOSED', 'ALREADY_SIGNED'].includes(apiErr.code)) {
            dialog.close();
            dialog.remove();
            this.fatal(apiErr);
            return;
          }
          error.textContent = problemMessage(m(), apiErr.problem);
        },
      );
    });
    dialog.showModal();
    reason.focus();
  }
}

function step(name: string, n: number, title: (x: ReturnType<typeof m>) => string, ...children: Node[]): HTMLElement {
  const headingId = uid(`step-${name}`);
  const el = card(
    `step step-${name}`,
    h(
      'h2',
      { class: 'step-title', id: headingId },
      h('span', { class: 'step-number', 'aria-hidden': 'true' }, String(n)),
      tr(title),
    ),
    ...children,
  );
  el.setAttribute('aria-labelledby', headingId);
  return el;
}

/** Smooth scrolling, unless the signer asked for reduced motion. */
function motion(): ScrollBehavior {
  return window.matchMedia('(prefers-reduced-motion: reduce)').matches ? 'auto' : 'smooth';
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
