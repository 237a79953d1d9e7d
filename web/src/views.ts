// Read-only pieces of the signing page: who asks and why, the signers in order, and the state
// screens (signed, not your turn, declined, closed, invalid link...).
import { h } from './dom.ts';
import { tr } from './locale.ts';
import type { Messages } from './i18n.ts';
import { card, stateIcon } from './layout.ts';
import { currentSigner } from './state.ts';
import { breakable } from './wrap-text.ts';
import type { PageState } from './state.ts';
import type { SigningView } from './types.ts';

export function requestSummary(view: SigningView): HTMLElement {
  const { envelope } = view;
  const senderName = envelope.sender.name || envelope.sender.email;
  const message = envelope.message.trim();
  return card(
    'request',
    h(
      'p',
      { class: 'eyebrow' },
      tr((msg) => msg.requestFrom(senderName)),
    ),
    h('h1', { class: 'request-subject' }, envelope.subject || '—'),
    h(
      'p',
      { class: 'request-sender' },
      h('span', { class: 'avatar', 'aria-hidden': 'true' }, initials(senderName)),
      h(
        'span',
        {},
        h('strong', {}, breakable(senderName)),
        envelope.sender.name && envelope.sender.name !== envelope.sender.email
          ? h('span', { class: 'muted' }, ' <', breakable(envelope.sender.email), '>')
          : null,
      ),
    ),
    message
      ? h('blockquote', { class: 'request-message' }, message)
      : h(
          'p',
          { class: 'muted request-message-empty' },
          tr((msg) => msg.noMessage),
        ),
  );
}

export function signersList(view: SigningView): HTMLElement {
  const current = currentSigner(view);
  const sorted = [...view.signers].sort((a, b) => a.position - b.position);
  const items = sorted.map((s) => {
    const isYou = s.position === view.you.position;
    const isCurrent = current?.position === s.position;
    const statusKey = isCurrent ? 'current' : s.status;
    return h(
      'li',
      { class: `signer signer-${statusKey}${isYou ? ' signer-you' : ''}`, 'aria-current': isYou ? 'true' : null },
      h('span', { class: 'signer-pos', 'aria-hidden': 'true' }, String(s.position)),
      h(
        'span',
        { class: 'signer-name' },
        breakable(s.name),
        isYou
          ? h(
              'span',
              { class: 'you-tag' },
              ' (',
              tr((msg) => msg.you),
              ')',
            )
          : null,
      ),
      h(
        'span',
        { class: `badge badge-${statusKey}` },
        tr((msg) => msg.signerStatus[statusKey]),
      ),
    );
  });
  return card(
    'signers',
    h(
      'h2',
      { class: 'card-title' },
      tr((msg) => msg.signersTitle),
    ),
    sorted.length > 1
      ? h(
          'p',
          { class: 'hint' },
          tr((msg) => msg.signersOrderHint),
        )
      : null,
    h('ol', { class: 'signer-list' }, ...items),
    h(
      'p',
      { class: 'hint' },
      tr((msg) => msg.yourPosition(view.you.position, sorted.length)),
    ),
  );
}

type Tone = 'ok' | 'wait' | 'stop' | 'info';

/** The big status card of a state screen; `body` may be null for states with no explanation. */
export function stateCard(
  tone: Tone,
  title: (msg: Messages) => string,
  body: (msg: Messages) => string,
  ...extra: Array<Node | null>
): HTMLElement {
  const heading = h('h1', { class: 'state-title', tabindex: '-1' }, tr(title));
  const el = card(`state state-${tone}`, stateIcon(tone), heading, h('p', { class: 'state-body' }, tr(body)), ...extra);
  el.setAttribute('role', tone === 'stop' ? 'alert' : 'status');
  return el;
}

export function stateScreen(state: PageState): HTMLElement {
  switch (state.kind) {
    case 'justSigned':
      return stateCard(
        'ok',
        (x) => x.stateSignedTitle,
        (x) => x.stateSignedBody,
      );
    case 'alreadySigned':
      return stateCard(
        'ok',
        (x) => x.stateAlreadySignedTitle,
        (x) => x.stateAlreadySignedBody,
      );
    case 'notYourTurn': {
      const who = state.currentSigner;
      return stateCard(
        'wait',
        (x) => x.stateNotYourTurnTitle,
        (x) => (who ? x.stateNotYourTurnBody(who) : x.stateNotYourTurnBodyUnknown),
        h(
          'p',
          { class: 'hint' },
          tr((x) => x.stateNotYourTurnPreview),
        ),
      );
    }
    case 'declined': {
      const by = state.by;
      return stateCard(
        'stop',
        (x) => x.stateDeclinedTitle,
        (x) => (state.byYou ? x.stateDeclinedByYou : by ? x.stateDeclinedBy(by) : x.stateDeclinedBody),
      );
    }
    case 'completed':
      return stateCard(
        'ok',
        (x) => x.stateCompletedTitle,
        (x) => x.stateCompletedBody,
      );
    case 'finalizing':
      return stateCard(
        'wait',
        (x) => x.stateFinalizingTitle,
        (x) => x.stateFinalizingBody,
      );
    case 'expired':
      return stateCard(
        'info',
        (x) => x.stateExpiredTitle,
        (x) => x.stateExpiredBody,
      );
    case 'failed':
      return stateCard(
        'stop',
        (x) => x.stateFailedTitle,
        (x) => x.stateFailedBody,
      );
    case 'cancelled':
      return stateCard(
        'info',
        (x) => x.stateCancelledTitle,
        (x) => x.stateCancelledBody,
      );
    case 'sign':
      return h('div');
  }
}

function initials(name: string): string {
  const parts = name
    .replace(/<.*>/, '')
    .trim()
    .split(/[\s@._-]+/)
    .filter(Boolean);
  return ((parts[0]?.[0] ?? '') + (parts[1]?.[0] ?? '')).toUpperCase() || '?';
}
