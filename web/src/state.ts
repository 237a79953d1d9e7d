// Which screen the signing page shows. Pure: derived only from the API's answer, so every state of
// issue 3 (not your turn, already signed, declined, completed, expired, finalizing, failed,
// cancelled) is unit tested without a browser.
import type { SigningView } from './types.ts';

export type PageState =
  | { kind: 'sign' }
  | { kind: 'notYourTurn'; currentSigner: string | null }
  | { kind: 'alreadySigned' }
  | { kind: 'justSigned' }
  | { kind: 'declined'; byYou: boolean; by: string | null }
  | { kind: 'completed' }
  | { kind: 'finalizing' }
  | { kind: 'expired' }
  | { kind: 'failed' }
  | { kind: 'cancelled' };

export function deriveState(view: SigningView): PageState {
  const { envelope, you, signers } = view;
  switch (envelope.status) {
    case 'declined': {
      const decliner = signers.find((s) => s.status === 'declined');
      return {
        kind: 'declined',
        byYou: you.status === 'declined' || decliner?.position === you.position,
        by: decliner?.name ?? null,
      };
    }
    case 'completed':
      return { kind: 'completed' };
    case 'finalizing':
      return { kind: 'finalizing' };
    case 'expired':
      return { kind: 'expired' };
    case 'failed':
      return { kind: 'failed' };
    case 'cancelled':
      return { kind: 'cancelled' };
    default:
      break;
  }
  if (you.status === 'signed') return { kind: 'alreadySigned' };
  if (you.status === 'declined') return { kind: 'declined', byYou: true, by: null };
  if (!you.yourTurn) return { kind: 'notYourTurn', currentSigner: currentSigner(view)?.name ?? null };
  return { kind: 'sign' };
}

/** The signer whose turn it is: the first one, in order, who has not signed yet. */
export function currentSigner(view: SigningView): SigningView['signers'][number] | undefined {
  if (view.envelope.status !== 'signing') return undefined;
  return [...view.signers].sort((a, b) => a.position - b.position).find((s) => s.status === 'pending');
}
