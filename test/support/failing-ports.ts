// A Store and a Mailer that fail at the Nth call (counted over both, reads included), either
// before the call reaches them (nothing happened) or after it (it happened, the caller sees an
// error: a lost response, or a process that died right after). Used to prove that every step of a
// use case is resumable whatever call fails.
import type { Mailer, Store } from '../../lambdas/core/ports.ts';

export type FailureMode = 'before' | 'after';

export class InjectedFailure extends Error {
  override name = 'InjectedFailure';
}

export type FailingPorts = {
  store: Store;
  mailer: Mailer;
  /** Calls made so far (both ports). */
  calls(): number;
  /** What the failing call was, once it failed. */
  failed(): string | undefined;
  /** Stops failing: the "retry" runs against healthy ports. */
  heal(): void;
};

export type FailAtCallOptions = { store: Store; mailer: Mailer; failAt: number; mode: FailureMode };

export function failAtCall({ store, mailer, failAt, mode }: FailAtCallOptions): FailingPorts {
  let count = 0;
  let failed: string | undefined;
  let healthy = false;
  async function call<T>(what: string, run: () => Promise<T>): Promise<T> {
    count += 1;
    const fail = !healthy && failed === undefined && count === failAt;
    if (fail && mode === 'before') {
      failed = what;
      throw new InjectedFailure(`call ${count} (${what}) failed before reaching the port`);
    }
    const result = await run();
    if (fail) {
      failed = what;
      throw new InjectedFailure(`call ${count} (${what}) failed after reaching the port`);
    }
    return result;
  }
  return {
    calls: () => count,
    failed: () => failed,
    heal: () => {
      healthy = true;
    },
    store: {
      get: (key) => call(`get ${key.sk}`, () => store.get(key)),
      query: (pk, options) => call(`query ${pk}`, () => store.query(pk, options)),
      put: (item, options) => call(`put ${item.sk}`, () => store.put(item, options)),
      update: (key, options) => call(`update ${key.sk}`, () => store.update(key, options)),
      delete: (key) => call(`delete ${key.sk}`, () => store.delete(key)),
    },
    mailer: { send: (mail) => call('mail', () => mailer.send(mail)) },
  };
}
