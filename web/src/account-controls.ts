// The customer area's controls on an open request: "Relancer / Remind" (at most one reminder per
// 24 h: a refusal says when) and "Annuler / Cancel" behind an inline confirmation, through
// POST /api/account/envelopes/{id}/remind|cancel. Closed requests show their expiry or reason.
import { ApiError, type ApiClient } from './api.ts';
import { am, formatDate, ta } from './account-i18n.ts';
import { h } from './dom.ts';
import { onLang } from './locale.ts';

export type ControlledEnvelope = { id: string; status: string; expiresAt?: string; declineReason?: string };

function live(compute: () => string): Text {
  const node = document.createTextNode('');
  onLang(() => {
    node.data = compute();
  });
  return node;
}

/** Expiry date while open, the decline reason once declined. */
export function envelopeFacts(envelope: ControlledEnvelope): HTMLElement | null {
  if (envelope.status === 'signing' && envelope.expiresAt) {
    const expiresAt = envelope.expiresAt;
    return h(
      'div',
      { class: 'muted', 'data-fact': 'expires' },
      live(() => `${am().expiresOn} ${formatDate(expiresAt)}`),
    );
  }
  // A decline reason is shown by the envelope item itself (account-page.ts).
  return null;
}

export function envelopeControls(
  api: ApiClient,
  envelope: ControlledEnvelope,
  onStatus: (status: string) => void,
): HTMLElement | null {
  if (envelope.status !== 'signing') return null;
  const path = (action: string) => `/api/account/envelopes/${encodeURIComponent(envelope.id)}/${action}`;
  const message = h('p', { class: 'account-control-message', role: 'status' });
  const say = (text: string, error = false) => {
    message.textContent = text;
    message.classList.toggle('is-error', error);
  };
  const failure = (error: unknown) => {
    if (error instanceof ApiError && error.code === 'REMIND_THROTTLED') {
      const next = (error.problem as { nextReminderAt?: string }).nextReminderAt;
      return say(`${am().remindThrottled}${next ? ` ${formatDate(next)}` : ''}`, true);
    }
    if (error instanceof ApiError && error.code === 'ENVELOPE_CLOSED') return say(am().envelopeClosed, true);
    say(am().actionFailed, true);
  };

  const remind = h(
    'button',
    { type: 'button', class: 'btn btn-secondary btn-small', 'data-action': 'remind' },
    ta((x) => x.remind),
  );
  const cancel = h(
    'button',
    { type: 'button', class: 'btn btn-secondary btn-small', 'data-action': 'cancel' },
    ta((x) => x.cancel),
  );
  const confirmYes = h(
    'button',
    { type: 'button', class: 'btn btn-danger btn-small', 'data-action': 'confirm-cancel' },
    ta((x) => x.confirmCancelYes),
  );
  const confirmNo = h(
    'button',
    { type: 'button', class: 'btn btn-secondary btn-small', 'data-action': 'keep' },
    ta((x) => x.confirmCancelNo),
  );
  const confirm = h(
    'div',
    { class: 'account-confirm', hidden: true },
    h(
      'p',
      {},
      ta((x) => x.confirmCancel),
    ),
    confirmYes,
    ' ',
    confirmNo,
  );
  const buttons = h('div', { class: 'account-controls-buttons' }, remind, ' ', cancel);

  remind.addEventListener('click', () => {
    remind.setAttribute('disabled', '');
    void api
      .post<{ nextReminderAt?: string }>(path('remind'), {})
      .then(() => say(am().reminded))
      .catch(failure)
      .finally(() => remind.removeAttribute('disabled'));
  });
  cancel.addEventListener('click', () => {
    confirm.hidden = false;
    buttons.hidden = true;
  });
  confirmNo.addEventListener('click', () => {
    confirm.hidden = true;
    buttons.hidden = false;
  });
  confirmYes.addEventListener('click', () => {
    confirmYes.setAttribute('disabled', '');
    void api
      .post(path('cancel'), {})
      .then(() => {
        confirm.remove();
        buttons.remove();
        onStatus('cancelled');
        say(am().cancelled);
      })
      .catch((error: unknown) => {
        confirm.hidden = true;
        buttons.hidden = false;
        failure(error);
      })
      .finally(() => confirmYes.removeAttribute('disabled'));
  });
  return h('div', { class: 'account-controls' }, buttons, confirm, message);
}
