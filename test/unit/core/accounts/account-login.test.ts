// Asking for a login link does the same work for a known and an unknown address (checked by the
// store operations it makes, not by timing); only a known account gets the mail.
import { describe, expect, it } from 'vitest';
import { requestAccountLogin } from '../../../../lambdas/core/accounts/account-login.ts';
import { ensureAccount } from '../../../../lambdas/core/accounts/account-records.ts';
import type { Store } from '../../../../lambdas/core/ports.ts';
import { createFakeDeps } from '../../../support/fake-deps.ts';

/** The store with every call recorded as `operation sk-kind` (keys hold the address: not compared). */
function recordingStore(store: Store, calls: string[]): Store {
  const kindOf = (key: { sk: string }) => key.sk.replace(/#.*$/, '#');
  return {
    ...store,
    get: async (key) => {
      calls.push(`get ${kindOf(key)}`);
      return store.get(key);
    },
    put: async (item, options) => {
      calls.push(`put ${kindOf(item)}`);
      return store.put(item, options);
    },
    update: async (key, change) => {
      calls.push(`update ${kindOf(key)}`);
      return store.update(key, change);
    },
    query: async (pk, options) => {
      calls.push('query');
      return store.query(pk, options);
    },
  };
}

async function loginWork(options: { accountExists: boolean }) {
  const deps = createFakeDeps();
  if (options.accountExists) await ensureAccount({ store: deps.store, clock: deps.clock, email: 'claire@agence.fr' });
  const calls: string[] = [];
  deps.store = recordingStore(deps.store, calls);
  const result = await requestAccountLogin({ deps, email: 'claire@agence.fr' });
  return { result, calls, sent: deps.sentMail.length };
}

describe('requestAccountLogin', () => {
  it('makes the same store operations for a known and an unknown address', async () => {
    const known = await loginWork({ accountExists: true });
    const unknown = await loginWork({ accountExists: false });
    expect(unknown.calls).toEqual(known.calls);
    expect(known.calls).toContain('put TOKEN');
    expect(unknown.result).toEqual(known.result);
  });

  it('mails the link only to a known account', async () => {
    expect((await loginWork({ accountExists: true })).sent).toBe(1);
    expect((await loginWork({ accountExists: false })).sent).toBe(0);
  });
});
