// Store on one DynamoDB table (pk/sk strings). Conditional writes only: no transactions, so it
// also runs against dynalite, which lacks TransactWriteItems. Expiry is enforced by the domain.
import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { ConditionFailedError } from '../../core/errors.ts';
import type { QueryOptions, Store, StoreItem, StoreKey, UpdateOptions } from '../../core/ports.ts';

export type DynamoDbStoreOptions = { client: DynamoDBClient; table: string };

const marshallOptions = { removeUndefinedValues: true, convertClassInstanceToMap: true } as const;

function toItem(attributes: Record<string, unknown> | undefined): StoreItem | undefined {
  return attributes ? (unmarshall(attributes as never) as StoreItem) : undefined;
}

async function conditional<T>(action: () => Promise<T>, describe: string): Promise<T> {
  try {
    return await action();
  } catch (error) {
    if (
      error instanceof ConditionalCheckFailedException ||
      (error as Error)?.name === 'ConditionalCheckFailedException'
    ) {
      throw new ConditionFailedError(`Condition failed: ${describe}`, { cause: error });
    }
    throw error;
  }
}

/** Translates UpdateOptions into one UpdateItem expression with placeholder names and values. */
function buildUpdate(options: UpdateOptions) {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  let counter = 0;
  const name = (attribute: string) => {
    const placeholder = `#n${counter++}`;
    names[placeholder] = attribute;
    return placeholder;
  };
  const value = (v: unknown) => {
    const placeholder = `:v${counter++}`;
    values[placeholder] = v;
    return placeholder;
  };
  const sets: string[] = [];
  const removes: string[] = [...(options.remove ?? [])].map(name);
  for (const [attribute, v] of Object.entries(options.set ?? {})) {
    if (v === undefined) removes.push(name(attribute));
    else sets.push(`${name(attribute)} = ${value(v)}`);
  }
  for (const [attribute, delta] of Object.entries(options.add ?? {})) {
    const n = name(attribute);
    sets.push(`${n} = if_not_exists(${n}, ${value(0)}) + ${value(delta)}`);
  }
  const conditions: string[] = [];
  if (options.createIfMissing !== true) conditions.push(`attribute_exists(${name('pk')})`);
  for (const [attribute, v] of Object.entries(options.expect ?? {}))
    conditions.push(`${name(attribute)} = ${value(v)}`);
  for (const attribute of options.expectMissing ?? []) conditions.push(`attribute_not_exists(${name(attribute)})`);
  for (const [attribute, bound] of Object.entries(options.expectBelow ?? {})) {
    const n = name(attribute);
    conditions.push(`(attribute_not_exists(${n}) OR ${n} < ${value(bound)})`);
  }
  const parts = [sets.length ? `SET ${sets.join(', ')}` : '', removes.length ? `REMOVE ${removes.join(', ')}` : ''];
  return {
    UpdateExpression: parts.filter(Boolean).join(' '),
    ConditionExpression: conditions.length ? conditions.join(' AND ') : undefined,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: Object.keys(values).length ? marshall(values, marshallOptions) : undefined,
  };
}

export function createDynamoDbStore(options: DynamoDbStoreOptions): Store {
  const { client, table } = options;
  return {
    async get(key: StoreKey) {
      const result = await client.send(
        new GetItemCommand({ TableName: table, Key: marshall(key), ConsistentRead: true }),
      );
      return toItem(result.Item);
    },
    async put(item, putOptions) {
      await conditional(
        () =>
          client.send(
            new PutItemCommand({
              TableName: table,
              Item: marshall(item, marshallOptions),
              ...(putOptions?.ifNotExists && {
                ConditionExpression: 'attribute_not_exists(#pk)',
                ExpressionAttributeNames: { '#pk': 'pk' },
              }),
            }),
          ),
        `${item.pk} / ${item.sk} already exists`,
      );
    },
    async update(key, updateOptions) {
      const expression = buildUpdate(updateOptions);
      if (!expression.UpdateExpression) {
        // Nothing to change: DynamoDB rejects an empty expression, so write a harmless marker.
        expression.UpdateExpression = 'SET #touched = :touched';
        expression.ExpressionAttributeNames['#touched'] = 'pk';
        expression.ExpressionAttributeValues = {
          ...expression.ExpressionAttributeValues,
          ...marshall({ ':touched': key.pk }),
        };
      }
      const result = await conditional(
        () =>
          client.send(
            new UpdateItemCommand({ TableName: table, Key: marshall(key), ReturnValues: 'ALL_NEW', ...expression }),
          ),
        `${key.pk} / ${key.sk}`,
      );
      return toItem(result.Attributes) as StoreItem;
    },
    async query(pk, queryOptions: QueryOptions = {}) {
      const names: Record<string, string> = { '#pk': 'pk' };
      const values: Record<string, unknown> = { ':pk': pk };
      let condition = '#pk = :pk';
      if (queryOptions.skPrefix !== undefined) {
        names['#sk'] = 'sk';
        values[':prefix'] = queryOptions.skPrefix;
        condition += ' AND begins_with(#sk, :prefix)';
      } else if (queryOptions.skFrom !== undefined && queryOptions.skTo !== undefined) {
        names['#sk'] = 'sk';
        values[':from'] = queryOptions.skFrom;
        values[':to'] = queryOptions.skTo;
        condition += ' AND #sk BETWEEN :from AND :to';
      } else if (queryOptions.skFrom !== undefined) {
        names['#sk'] = 'sk';
        values[':from'] = queryOptions.skFrom;
        condition += ' AND #sk >= :from';
      } else if (queryOptions.skTo !== undefined) {
        names['#sk'] = 'sk';
        values[':to'] = queryOptions.skTo;
        condition += ' AND #sk <= :to';
      }
      const items: StoreItem[] = [];
      let startKey: Record<string, unknown> | undefined;
      do {
        const result = await client.send(
          new QueryCommand({
            TableName: table,
            KeyConditionExpression: condition,
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: marshall(values),
            ScanIndexForward: !queryOptions.descending,
            ConsistentRead: true,
            ExclusiveStartKey: startKey as never,
            ...(queryOptions.limit !== undefined && { Limit: queryOptions.limit - items.length }),
          }),
        );
        for (const raw of result.Items ?? []) items.push(toItem(raw) as StoreItem);
        startKey = result.LastEvaluatedKey;
      } while (startKey && (queryOptions.limit === undefined || items.length < queryOptions.limit));
      return items;
    },
    async delete(key) {
      await client.send(new DeleteItemCommand({ TableName: table, Key: marshall(key) }));
    },
  };
}
