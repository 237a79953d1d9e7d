// Store on DynamoDB (one client per execution environment).
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDynamoDbStore } from '../../adapters/aws/dynamodb-store.ts';
import { sharedClient, type AwsAdapterFactory } from './aws-root.ts';

export const awsStore: AwsAdapterFactory<'store'> = (config) =>
  createDynamoDbStore({
    client: sharedClient('DynamoDBClient', () => new DynamoDBClient({ region: config.region })),
    table: config.table,
  });
