// The repository edge: an item read from the store is checked against its zod schema before any
// code sees it, so an old or corrupt record gives a named RecordInvalidError instead of a wrong
// value. Schemas are loose objects: attributes they do not name pass through unchanged (records
// gain fields over time; a reader that does not know a field must not drop it).
import type { z } from 'zod';
import { RecordInvalidError } from '../errors.ts';

export type ParseRecordOptions = {
  schema: z.ZodType;
  /** What is being read (`account`, `signer`...), named in the error; never the key. */
  record: string;
  item: unknown;
};

/** The item as `T` once the schema accepts it; RecordInvalidError naming the bad paths otherwise. */
export function parseRecord<T>(options: ParseRecordOptions): T {
  const parsed = options.schema.safeParse(options.item);
  if (parsed.success) return parsed.data as T;
  // Paths and expectations only: the values may be personal data.
  const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(item)'}: ${issue.message}`);
  throw new RecordInvalidError({ record: options.record, message: issues.join('; '), cause: parsed.error });
}
