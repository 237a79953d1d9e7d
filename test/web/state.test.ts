// Which screen the signing page shows for each envelope and signer status; config and token handling.
import { describe, expect, it } from 'vitest';
import { apiUrl, parseConfig } from '../../web/src/config.ts';
import { deriveState } from '../../web/src/state.ts';
import { takeToken } from '../../web/src/token.ts';
import type { SigningView } from '../../web/src/types.ts';

function view(
  over: {
    envelope?: Partial<SigningView['envelope']>;
    you?: Partial<SigningView['you']>;
    signers?: SigningView['signers'];
  } = {},
): SigningView {
  return {
    envelope: {
      id: 'e1',
      subject: 'Devis',
      message: '',
      sender: { name: 'S', email: 's@x.fr' },
      status: 'signing',
      ...over.envelope,
    },
    documents: [],
    signers: over.signers ?? [
      { position: 1, name: 'Alice', status: 'pending' },
      { position: 2, name: 'Bob', status: 'pending' },
    ],
    you: { position: 2, email: 'bob@x.fr', status: 'pending', yourTurn: false, phoneVerified: false, ...over.you },
  };
}

describe('deriveState', () => {
  it('lets the signer sign on their turn', () => {
    expect(deriveState(view({ you: { yourTurn: true, position: 1 } }))).toEqual({ kind: 'sign' });
  });

  it('names who is signing now when it is not your turn', () => {
    expect(deriveState(view())).toEqual({ kind: 'notYourTurn', currentSigner: 'Alice' });
  });

  it('shows already signed', () => {
    expect(deriveState(view({ you: { status: 'signed' } })).kind).toBe('alreadySigned');
  });

  it('shows declined, by you or by someone else', () => {
    const byAlice = deriveState(
      view({
        envelope: { status: 'declined' },
        signers: [
          { position: 1, name: 'Alice', status: 'declined' },
          { position: 2, name: 'Bob', status: 'pending' },
        ],
      }),
    );
    expect(byAlice).toEqual({ kind: 'declined', byYou: false, by: 'Alice' });
    const byYou = deriveState(view({ envelope: { status: 'declined' }, you: { status: 'declined' } }));
    expect(byYou.kind === 'declined' && byYou.byYou).toBe(true);
  });

  it('maps every closed envelope status to its own state, even for a signer who has signed', () => {
    for (const status of ['completed', 'finalizing', 'expired', 'failed', 'cancelled'] as const) {
      expect(deriveState(view({ envelope: { status }, you: { status: 'signed' } })).kind).toBe(status);
    }
  });
});

describe('config', () => {
  it('accepts an http(s) apiBaseUrl and strips the trailing slash', () => {
    expect(parseConfig({ apiBaseUrl: 'https://api.example.com/' })).toEqual({ apiBaseUrl: 'https://api.example.com' });
  });

  it('falls back to same origin', () => {
    expect(parseConfig(null)).toEqual({ apiBaseUrl: '' });
    expect(parseConfig({ apiBaseUrl: 'javascript:alert(1)' })).toEqual({ apiBaseUrl: '' });
    expect(parseConfig('x')).toEqual({ apiBaseUrl: '' });
  });

  it('resolves API paths and document URLs against the API origin', () => {
    expect(apiUrl({ apiBaseUrl: 'https://api.example.com' }, '/api/signing', 'https://sign.example.com')).toBe(
      'https://api.example.com/api/signing',
    );
    expect(apiUrl({ apiBaseUrl: '' }, '/api/signing', 'http://localhost:3000')).toBe(
      'http://localhost:3000/api/signing',
    );
    expect(
      apiUrl({ apiBaseUrl: 'https://api.example.com' }, 'https://bucket.s3/x.pdf?sig=1', 'https://sign.example.com'),
    ).toBe('https://bucket.s3/x.pdf?sig=1');
  });
});

describe('takeToken', () => {
  function env(hash: string) {
    const store = new Map<string, string>();
    const replaced: string[] = [];
    return {
      replaced,
      store,
      env: {
        location: { hash, pathname: '/sign.html', search: '?x=1' },
        history: { replaceState: (_d: unknown, _u: string, url?: string | null) => void replaced.push(url ?? '') },
        storage: {
          getItem: (k: string) => store.get(k) ?? null,
          setItem: (k: string, v: string) => void store.set(k, v),
        },
      },
    };
  }

  it('takes the token from the fragment, stores it and clears the address bar', () => {
    const e = env('#t=abc_DEF-123');
    expect(takeToken(e.env, 'k')).toBe('abc_DEF-123');
    expect(e.store.get('k')).toBe('abc_DEF-123');
    expect(e.replaced).toEqual(['/sign.html?x=1']);
  });

  it('falls back to the stored token on reload', () => {
    const e = env('');
    e.store.set('k', 'saved');
    expect(takeToken(e.env, 'k')).toBe('saved');
    expect(e.replaced).toEqual([]);
  });

  it('returns null without any token', () => {
    expect(takeToken(env('#other=1').env, 'k')).toBeNull();
  });
});
