// The DynamoDB Store adapter against dynalite (the real DynamoDB wire protocol), and the same
// contract against the in-memory fake so unit tests can trust it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoDbStore } from '../../lambdas/adapters/aws/dynamodb-store.ts';
import { createMemoryStore } from '../../lambdas/adapters/memory/memory-store.ts';
import { ConditionFailedError } from '../../lambdas/core/errors.ts';
import type { Store } from '../../lambdas/core/ports.ts';
import {
  createLocalDynamoDbClient,
  ensureTable,
  startDynalite,
  type RunningServer,
} from '../../lambdas/runtime/local-services.ts';

let dynalite: RunningServer;
let dynamoStore: Store;

beforeAll(async () => {
  dynalite = await startDynalite({ host: '127.0.0.1', port: 0 });
  const client = createLocalDynamoDbClient(dynalite.endpoint);
  await ensureTable({ client, table: 'contract' });
  dynamoStore = createDynamoDbStore({ client, table: 'contract' });
});

afterAll(async () => {
  await dynalite?.stop();
});

const implementations: Array<[string, () => Store]> = [
  ['dynamodb (dynalite)', () => dynamoStore],
  ['memory fake', () => memoryStore],
];
const memoryStore = createMemoryStore();

describe.each(implementations)('Store contract: %s', (label, getStore) => {
  const pk = `T#${label}`;

  it('returns what was put, with nested values', async () => {
    const store = getStore();
    await store.put({ pk, sk: 'A', name: 'Jeanne', pages: [{ width: 595, height: 842 }], flag: true });
    expect(await store.get({ pk, sk: 'A' })).toEqual({
      pk,
      sk: 'A',
      name: 'Jeanne',
      pages: [{ width: 595, height: 842 }],
      flag: true,
    });
  });

  it('answers undefined for a missing item', async () => {
    expect(await getStore().get({ pk, sk: 'missing' })).toBeUndefined();
  });

  it('refuses a second conditional put on the same key', async () => {
    const store = getStore();
    await store.put({ pk, sk: 'unique' }, { ifNotExists: true });
    await expect(store.put({ pk, sk: 'unique' }, { ifNotExists: true })).rejects.toBeInstanceOf(ConditionFailedError);
  });

  it('lets exactly one of two concurrent conditional puts win', async () => {
    const store = getStore();
    const results = await Promise.allSettled([
      store.put({ pk, sk: 'race', who: 1 }, { ifNotExists: true }),
      store.put({ pk, sk: 'race', who: 2 }, { ifNotExists: true }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  });

  it('updates with set, add and remove and returns the new item', async () => {
    const store = getStore();
    await store.put({ pk, sk: 'U', status: 'pending', count: 1, note: 'x' });
    const updated = await store.update(
      { pk, sk: 'U' },
      { set: { status: 'signed' }, add: { count: 2 }, remove: ['note'] },
    );
    expect(updated).toEqual({ pk, sk: 'U', status: 'signed', count: 3 });
  });

  it('refuses an update whose expectation does not hold', async () => {
    const store = getStore();
    await store.put({ pk, sk: 'E', status: 'signed' });
    await expect(
      store.update({ pk, sk: 'E' }, { set: { status: 'x' }, expect: { status: 'pending' } }),
    ).rejects.toBeInstanceOf(ConditionFailedError);
  });

  it('refuses an update of a missing item unless asked to create it', async () => {
    const store = getStore();
    await expect(store.update({ pk, sk: 'none' }, { set: { a: 1 } })).rejects.toBeInstanceOf(ConditionFailedError);
    expect(await store.update({ pk, sk: 'created' }, { add: { n: 1 }, createIfMissing: true })).toEqual({
      pk,
      sk: 'created',
      n: 1,
    });
  });

  it('enforces expectMissing and expectBelow', async () => {
    const store = getStore();
    await store.put({ pk, sk: 'C', attempts: 4 });
    await store.update({ pk, sk: 'C' }, { add: { attempts: 1 }, expectBelow: { attempts: 5 } });
    await expect(
      store.update({ pk, sk: 'C' }, { add: { attempts: 1 }, expectBelow: { attempts: 5 } }),
    ).rejects.toBeInstanceOf(ConditionFailedError);
    await store.update({ pk, sk: 'C' }, { set: { usedAt: 'now' }, expectMissing: ['usedAt'] });
    await expect(
      store.update({ pk, sk: 'C' }, { set: { usedAt: 'again' }, expectMissing: ['usedAt'] }),
    ).rejects.toBeInstanceOf(ConditionFailedError);
  });

  it('queries by prefix and range in sk order, both directions, with a limit', async () => {
    const store = getStore();
    const qpk = `${pk}#Q`;
    for (const sk of ['EVENT#2', 'EVENT#1', 'EVENT#3', 'OTHER']) await store.put({ pk: qpk, sk });
    expect((await store.query(qpk, { skPrefix: 'EVENT#' })).map((i) => i.sk)).toEqual([
      'EVENT#1',
      'EVENT#2',
      'EVENT#3',
    ]);
    expect((await store.query(qpk, { skPrefix: 'EVENT#', descending: true, limit: 2 })).map((i) => i.sk)).toEqual([
      'EVENT#3',
      'EVENT#2',
    ]);
    expect((await store.query(qpk, { skFrom: 'EVENT#2', skTo: 'EVENT#9' })).map((i) => i.sk)).toEqual([
      'EVENT#2',
      'EVENT#3',
    ]);
  });

  it('deletes an item', async () => {
    const store = getStore();
    await store.put({ pk, sk: 'D' });
    await store.delete({ pk, sk: 'D' });
    expect(await store.get({ pk, sk: 'D' })).toBeUndefined();
  });
});
