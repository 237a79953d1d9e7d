// Composition root of the public verification API (seal certificates, certified-file look-up): the adapters it uses,
// and only those (see aws-root.ts).
import { createAwsRoot } from './aws-root.ts';
import { awsStore } from './dynamodb.ts';

export const createVerifyApiDeps = createAwsRoot({ store: awsStore });
