// The signing token travels in the URL fragment (never sent to servers or logs). We move it to
// sessionStorage so a reload still works, and strip it from the address bar so it is not left in
// history, bookmarks or screenshots.

export interface TokenEnv {
  location: { hash: string; pathname: string; search: string };
  history: { replaceState(data: unknown, unused: string, url?: string | null): void };
  storage: Pick<Storage, 'getItem' | 'setItem'> | null;
}

export function takeToken(env: TokenEnv, storageKey: string): string | null {
  const hash = env.location.hash.replace(/^#/, '');
  const fromHash = hash ? new URLSearchParams(hash).get('t') : null;
  if (fromHash) {
    try {
      env.storage?.setItem(storageKey, fromHash);
    } catch {
      // Storage refused: the token still works for this page view.
    }
    env.history.replaceState(null, '', env.location.pathname + env.location.search);
    return fromHash;
  }
  try {
    return env.storage?.getItem(storageKey) ?? null;
  } catch {
    return null;
  }
}
