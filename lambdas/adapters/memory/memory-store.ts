// An in-memory Store with the same conditional semantics as the DynamoDB adapter. Used by unit
// tests as the fake of the Store port; the contract tests run against both to keep them equal.
import { ConditionFailedError } from '../../core/errors.ts';
import type { QueryOptions, Store, StoreItem, StoreKey, UpdateOptions } from '../../core/ports.ts';

const clone = <T>(value: T): T => structuredClone(value);
const keyOf = (key: StoreKey) => `${key.pk}\u0000${key.sk}`;

function checkConditions(item: StoreItem | undefined, options: UpdateOptions): boolean {
  for (const [name, expected] of Object.entries(options.expect ?? {})) {
    if (!item || JSON.stringify(item[name]) !== JSON.stringify(expected)) return false;
  }
  for (const name of options.expectMissing ?? []) {
    if (item && item[name] !== undefined) return false;
  }
  for (const [name, bound] of Object.entries(options.expectBelow ?? {})) {
    const value = item?.[name];
    if (!((typeof value === 'number' ? value : 0) < bound)) return false;
  }
  return true;
}

export function createMemoryStore(): Store & { items(): StoreItem[] } {
  const items = new Map<string, StoreItem>();
  return {
    items: () => [...items.values()].map(clone),
    async get(key) {
      const item = items.get(keyOf(key));
      return item ? clone(item) : undefined;
    },
    async put(item, options) {
      if (options?.ifNotExists && items.has(keyOf(item))) {
        throw new ConditionFailedError(`An item with key ${item.pk} / ${item.sk} already exists`);
      }
      items.set(keyOf(item), clone(item));
    },
    async update(key, options) {
      const existing = items.get(keyOf(key));
      if (!existing && options.createIfMissing !== true) {
        throw new ConditionFailedError(`No item with key ${key.pk} / ${key.sk}`);
      }
      if (!checkConditions(existing, options)) {
        throw new ConditionFailedError(`Condition failed on ${key.pk} / ${key.sk}`);
      }
      const next: StoreItem = { ...(existing ? clone(existing) : { pk: key.pk, sk: key.sk }) };
      for (const [name, value] of Object.entries(options.set ?? {})) {
        if (value === undefined) delete next[name];
        else next[name] = clone(value);
      }
      for (const [name, delta] of Object.entries(options.add ?? {})) {
        const current = next[name];
        next[name] = (typeof current === 'number' ? current : 0) + delta;
      }
      for (const name of options.remove ?? []) delete next[name];
      items.set(keyOf(key), next);
      return clone(next);
    },
    async query(pk, options: QueryOptions = {}) {
      let found = [...items.values()].filter((item) => item.pk === pk);
      if (options.skPrefix !== undefined)
        found = found.filter((item) => item.sk.startsWith(options.skPrefix as string));
      if (options.skFrom !== undefined) found = found.filter((item) => item.sk >= (options.skFrom as string));
      if (options.skTo !== undefined) found = found.filter((item) => item.sk <= (options.skTo as string));
      found.sort((a, b) => (a.sk < b.sk ? -1 : a.sk > b.sk ? 1 : 0));
      if (options.descending) found.reverse();
      if (options.limit !== undefined) found = found.slice(0, options.limit);
      return found.map(clone);
    },
    async delete(key) {
      items.delete(keyOf(key));
    },
  };
}
