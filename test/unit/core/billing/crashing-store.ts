// A Store that "dies" once: the first write matching a rule throws before reaching the store, as
// if the process had crashed there. Reads and every other write pass through unchanged.
import type { PutOptions, Store, StoreItem, StoreKey, UpdateOptions } from '../../../../lambdas/core/ports.ts';

export type CrashingWrite =
  | { method: 'put'; item: StoreItem; options?: PutOptions }
  | { method: 'update'; key: StoreKey; options: UpdateOptions }
  | { method: 'delete'; key: StoreKey };

export type CrashOnceOptions = { store: Store; when: (write: CrashingWrite) => boolean };

export class SimulatedCrash extends Error {
  override name = 'SimulatedCrash';
}

export function crashOnce({ store, when }: CrashOnceOptions): Store & { crashed(): boolean } {
  let crashed = false;
  const check = (write: CrashingWrite) => {
    if (crashed || !when(write)) return;
    crashed = true;
    throw new SimulatedCrash(`crash before ${write.method}`);
  };
  return {
    crashed: () => crashed,
    get: (key) => store.get(key),
    query: (pk, options) => store.query(pk, options),
    async put(item, options) {
      check({ method: 'put', item, ...(options && { options }) });
      return store.put(item, options);
    },
    async update(key, options) {
      check({ method: 'update', key, options });
      return store.update(key, options);
    },
    async delete(key) {
      check({ method: 'delete', key });
      return store.delete(key);
    },
  };
}

/** The crash points of a charge, in the order a charge reaches them. */
export const crashPoints = {
  /** Before the SIG# record is created (the PENDING-CHARGES entry is written). */
  beforeRecord: (w: CrashingWrite) => w.method === 'put' && w.item.sk.startsWith('SIG#'),
  /** Record pending with its reserved number, SIGSEQ not claimed. */
  beforeSequenceClaim: (w: CrashingWrite) => w.method === 'put' && w.item.sk.startsWith('SIGSEQ#'),
  /** SIGSEQ claimed, nothing else. */
  afterSequenceClaim: (w: CrashingWrite) => w.method === 'put' && w.item.sk.startsWith('SIGAT#'),
  /** Priced, the balance not yet changed. */
  beforeDebit: (w: CrashingWrite) =>
    w.method === 'update' && w.key.sk === 'ACCOUNT' && w.options.set?.lastLedger !== undefined,
  /** Balance changed (entry carried on the account), LEDGER# item not yet written. */
  beforeLedgerItem: (w: CrashingWrite) => w.method === 'put' && w.item.sk.startsWith('LEDGER#'),
  /** Debited, the record not yet marked decided. */
  beforeDecided: (w: CrashingWrite) =>
    w.method === 'update' && w.key.sk.startsWith('SIG#') && w.options.set?.state === 'decided',
};

export type PauseOnceOptions = CrashOnceOptions;

/** A Store whose first write matching the rule waits until resumed: a caller stalled mid-charge. */
export function pauseOnce({ store, when }: PauseOnceOptions): Store & { reached: Promise<void>; resume(): void } {
  let used = false;
  let signalReached = () => {};
  let resume = () => {};
  const reached = new Promise<void>((resolve) => (signalReached = resolve));
  const gate = new Promise<void>((resolve) => (resume = resolve));
  const hold = async (write: CrashingWrite) => {
    if (used || !when(write)) return;
    used = true;
    signalReached();
    await gate;
  };
  return {
    reached,
    resume: () => resume(),
    get: (key) => store.get(key),
    query: (pk, options) => store.query(pk, options),
    async put(item, options) {
      await hold({ method: 'put', item, ...(options && { options }) });
      return store.put(item, options);
    },
    async update(key, options) {
      await hold({ method: 'update', key, options });
      return store.update(key, options);
    },
    async delete(key) {
      await hold({ method: 'delete', key });
      return store.delete(key);
    },
  };
}
