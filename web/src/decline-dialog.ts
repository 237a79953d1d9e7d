// Declining is final for the whole envelope, so it asks for a reason in a modal dialog; a problem
// that ends the flow closes the dialog and lets the page show the envelope's real state.
import { ApiError } from './api.ts';
import type { ApiClient } from './api.ts';
import { h, uid } from './dom.ts';
import { m, tr } from './locale.ts';
import { problemMessage } from './problems.ts';

export type DeclineDialogOptions = {
  api: ApiClient;
  /** The button that opened the dialog: focus returns to it on cancel. */
  opener: HTMLElement;
  /** The page's handling of the problems that end the flow; true when handled. */
  fatal: (err: ApiError) => boolean;
  /** After the decline is recorded: the page re-reads the envelope. */
  onDeclined: () => void;
};

export function openDeclineDialog(options: DeclineDialogOptions): void {
  const { api, opener, fatal, onDeclined } = options;
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
    void api.post('/api/signing/decline', { reason: text }).then(
      () => {
        dialog.close();
        dialog.remove();
        onDeclined();
      },
      (err: unknown) => {
        confirm.disabled = false;
        const apiErr = err instanceof ApiError ? err : new ApiError({ status: 0, code: 'UNKNOWN' });
        if (['TOKEN_INVALID', 'LINK_EXPIRED', 'ENVELOPE_CLOSED', 'ALREADY_SIGNED'].includes(apiErr.code)) {
          dialog.close();
          dialog.remove();
          fatal(apiErr);
          return;
        }
        error.textContent = problemMessage(m(), apiErr.problem);
      },
    );
  });
  dialog.showModal();
  reason.focus();
}
