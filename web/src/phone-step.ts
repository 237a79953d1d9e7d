// Phone confirmation: number -> SMS code -> 6-digit code. Each API problem gets its own message,
// and a throttled resend shows a live countdown instead of a button that silently fails.
import { ApiError } from './api.ts';
import type { ApiClient } from './api.ts';
import { h, uid } from './dom.ts';
import { m, onLang, tr, trAttr } from './locale.ts';
import { problemMessage, secondsUntil } from './problems.ts';
import type { OtpSent } from './types.ts';

export class PhoneStep {
  readonly element: HTMLElement;
  verified: boolean;
  private readonly api: ApiClient;
  private readonly onVerified: () => void;
  private readonly onFatal: (err: ApiError) => boolean;
  private readonly phoneForm: HTMLFormElement;
  private readonly codeForm: HTMLFormElement;
  private readonly done: HTMLElement;
  private readonly phone: HTMLInputElement;
  private readonly code: HTMLInputElement;
  private readonly sentNote: HTMLElement;
  private readonly message: HTMLElement;
  private readonly resend: HTMLButtonElement;
  private readonly sendBtn: HTMLButtonElement;
  private readonly verifyBtn: HTMLButtonElement;
  private resendAt = 0;
  private timer: number | undefined;
  private renderMessage: () => string = () => '';

  /** `onFatal` handles errors that end the page (invalid link, closed envelope); true when handled. */
  constructor(api: ApiClient, alreadyVerified: boolean, onVerified: () => void, onFatal: (err: ApiError) => boolean) {
    this.api = api;
    this.verified = alreadyVerified;
    this.onVerified = onVerified;
    this.onFatal = onFatal;

    const phoneId = uid('phone');
    const codeId = uid('code');
    const msgId = uid('phone-msg');
    this.phone = h('input', {
      id: phoneId,
      class: 'input',
      type: 'tel',
      inputmode: 'tel',
      autocomplete: 'tel',
      required: true,
      'aria-describedby': msgId,
    });
    trAttr(this.phone, 'placeholder', (msg) => msg.phonePlaceholder);
    this.sendBtn = h(
      'button',
      { type: 'submit', class: 'btn btn-secondary' },
      tr((msg) => msg.sendCode),
    );
    this.phoneForm = h(
      'form',
      { class: 'stack', novalidate: true },
      h(
        'label',
        { for: phoneId, class: 'label' },
        tr((msg) => msg.phoneLabel),
      ),
      h('div', { class: 'row row-wrap' }, this.phone, this.sendBtn),
    );
    this.phoneForm.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.sendCode();
    });

    this.code = h('input', {
      id: codeId,
      class: 'input input-code',
      type: 'text',
      inputmode: 'numeric',
      autocomplete: 'one-time-code',
      pattern: '[0-9]{6}',
      maxlength: '6',
      'aria-describedby': msgId,
    });
    this.sentNote = h('p', { class: 'hint' });
    this.verifyBtn = h(
      'button',
      { type: 'submit', class: 'btn btn-secondary' },
      tr((msg) => msg.verifyCode),
    );
    this.resend = h('button', { type: 'button', class: 'btn btn-link' });
    this.resend.addEventListener('click', () => void this.sendCode());
    const change = h(
      'button',
      { type: 'button', class: 'btn btn-link' },
      tr((msg) => msg.changeNumber),
    );
    change.addEventListener('click', () => {
      this.show('phone');
      this.setMessage(null);
      this.phone.focus();
    });
    this.codeForm = h(
      'form',
      { class: 'stack', novalidate: true, hidden: true },
      this.sentNote,
      h(
        'label',
        { for: codeId, class: 'label' },
        tr((msg) => msg.codeLabel),
      ),
      h('div', { class: 'row row-wrap' }, this.code, this.verifyBtn),
      h('div', { class: 'row row-wrap' }, this.resend, change),
    );
    this.codeForm.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.verify();
    });

    this.done = h(
      'p',
      { class: 'ok', hidden: true },
      h('span', { class: 'ok-icon', 'aria-hidden': 'true' }, '✓'),
      tr((msg) => msg.phoneVerified),
    );
    this.message = h('p', { id: msgId, class: 'field-message', role: 'alert' });
    this.element = h('div', { class: 'phone-step' }, this.phoneForm, this.codeForm, this.done, this.message);
    onLang(() => {
      this.updateResend();
      this.message.textContent = this.renderMessage();
    });
    if (alreadyVerified) this.show('done');
  }

  /** The API said the phone is not verified after all (PHONE_NOT_VERIFIED): ask again. */
  reset(): void {
    this.verified = false;
    this.show('phone');
  }

  private show(which: 'phone' | 'code' | 'done'): void {
    this.phoneForm.hidden = which !== 'phone';
    this.codeForm.hidden = which !== 'code';
    this.done.hidden = which !== 'done';
  }

  private setMessage(render: (() => string) | null): void {
    this.renderMessage = render ?? (() => '');
    this.message.textContent = this.renderMessage();
  }

  private async sendCode(): Promise<void> {
    const phone = this.phone.value.trim();
    if (!phone) {
      this.setMessage(() => m().phoneRequired);
      this.phone.focus();
      return;
    }
    this.busy(true);
    try {
      const sent = await this.api.post<OtpSent>('/api/signing/otp', { phone });
      this.startCountdown(secondsUntil(sent.resendAfter, Date.now()) ?? 30);
      this.sentNote.textContent = '';
      this.sentNote.append(tr((msg) => msg.codeSentTo(phone)));
      this.setMessage(null);
      this.show('code');
      this.code.value = '';
      this.code.focus();
    } catch (err) {
      this.fail(err);
    } finally {
      this.busy(false);
    }
  }

  private async verify(): Promise<void> {
    const code = this.code.value.replace(/\s+/g, '');
    if (!/^\d{6}$/.test(code)) {
      this.setMessage(() => m().codeFormat);
      this.code.focus();
      return;
    }
    this.busy(true);
    try {
      await this.api.post('/api/signing/otp/verify', { code });
      this.verified = true;
      this.stopCountdown();
      this.setMessage(null);
      this.show('done');
      this.onVerified();
    } catch (err) {
      this.fail(err);
      this.code.select();
    } finally {
      this.busy(false);
    }
  }

  private fail(err: unknown): void {
    const apiErr = err instanceof ApiError ? err : new ApiError({ status: 0, code: 'UNKNOWN' });
    if (this.onFatal(apiErr)) return;
    const p = apiErr.problem;
    if (p.code === 'OTP_THROTTLED') {
      const wait = secondsUntil(p.resendAfter ?? p.retryAfter, Date.now()) ?? apiErr.retryAfterSeconds ?? 30;
      this.startCountdown(wait);
      // The countdown lives on the resend button: re-announcing an alert every second would
      // drown screen-reader users.
      this.setMessage(() => problemMessage(m(), p));
      // Having been throttled means a code is already on its way: let the signer type it.
      if (!this.codeForm.hidden || this.phone.value.trim()) this.show('code');
      return;
    }
    if (p.code === 'PHONE_INVALID') {
      this.show('phone');
      this.phone.focus();
    }
    if (p.code === 'OTP_LOCKED' || p.code === 'OTP_EXPIRED') {
      // The code is dead: a resend is the only way forward, so allow it now.
      this.stopCountdown();
    }
    this.setMessage(() => problemMessage(m(), p));
  }

  private busy(on: boolean): void {
    this.sendBtn.disabled = on;
    this.verifyBtn.disabled = on;
    this.element.setAttribute('aria-busy', String(on));
  }

  private secondsLeft(): number {
    return Math.max(0, Math.ceil((this.resendAt - Date.now()) / 1000));
  }

  private startCountdown(seconds: number): void {
    this.resendAt = Date.now() + seconds * 1000;
    window.clearInterval(this.timer);
    this.timer = window.setInterval(() => {
      this.updateResend();
      if (this.secondsLeft() === 0) window.clearInterval(this.timer);
    }, 1000);
    this.updateResend();
  }

  private stopCountdown(): void {
    window.clearInterval(this.timer);
    this.resendAt = 0;
    this.updateResend();
  }

  private updateResend(): void {
    const left = this.secondsLeft();
    this.resend.disabled = left > 0;
    this.resend.textContent = left > 0 ? m().resendIn(left) : m().resendCode;
  }
}
