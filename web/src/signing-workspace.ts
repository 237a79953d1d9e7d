// The signing workspace: the steps (signature, placement on the documents, phone code, consent
// and submit) beside the rendered documents, and the action bar that leads to the next missing
// step. It tells the page when the signature is in; the page owns what is shown next.
import { ApiError } from './api.ts';
import type { ApiClient } from './api.ts';
import { h, uid } from './dom.ts';
import { m, onLang, tr, trAttr } from './locale.ts';
import { card } from './layout.ts';
import type { PdfView } from './pdf-view.ts';
import { PhoneStep } from './phone-step.ts';
import { PlacementManager } from './placement-ui.ts';
import { ActionBar } from './action-bar.ts';
import { PageNavigator } from './page-navigator.ts';
import { problemMessage } from './problems.ts';
import { SignatureInput } from './signature.ts';
import type { SigningView } from './types.ts';
import { openDeclineDialog } from './decline-dialog.ts';
import { documentCard } from './document-card.ts';

export type SigningWorkspaceOptions = {
  api: ApiClient;
  view: SigningView;
  /** The page's handling of the problems that end the flow; true when handled. */
  fatal: (err: ApiError) => boolean;
  /** Receives each rendered document view: the page destroys them when it renders again. */
  onView: (view: PdfView) => void;
  /** The signature is recorded: the page shows the envelope as signed by this signer. */
  onSigned: (signed: SigningView) => void;
  /** The page re-reads the envelope (after a decline). */
  reload: () => void;
};

export function signingWorkspace(options: SigningWorkspaceOptions): HTMLElement {
  const { api, view, fatal, onView, onSigned, reload } = options;
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

  const phone = new PhoneStep(api, view.you.phoneVerified, update, fatal);
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
    for (const doc of view.documents) if (placements.countFor(doc.id) === 0) items.push(m().missingPlacement(doc.name));
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
    void api
      .post('/api/signing/signature', { image: image.dataUrl, placements: placements.placements(), consent: true })
      .then(
        () => {
          const signed: SigningView = {
            ...view,
            you: { ...view.you, status: 'signed', yourTurn: false },
            signers: view.signers.map((s) => (s.position === view.you.position ? { ...s, status: 'signed' } : s)),
          };
          onSigned(signed);
        },
        (err: unknown) => {
          busy = false;
          submit.disabled = false;
          submit.replaceChildren(tr((x) => x.submit));
          const apiErr = err instanceof ApiError ? err : new ApiError({ status: 0, code: 'UNKNOWN' });
          if (fatal(apiErr)) return;
          if (apiErr.code === 'PHONE_NOT_VERIFIED') {
            phone.reset();
            phoneStep.hidden = false;
            phoneStep.scrollIntoView({ behavior: motion(), block: 'center' });
          }
          error.textContent = problemMessage(m(), apiErr.problem);
        },
      );
  });
  decline.addEventListener('click', () => openDeclineDialog({ api, opener: decline, fatal, onDeclined: reload }));

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
    const docCard = documentCard({ api, doc, placements, navigator, onPages: update, onView, fatal });
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
