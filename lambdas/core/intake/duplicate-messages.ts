// Duplicates: the same message sent twice (a client's retry, a double click) carries the same
// Message-ID header but gets a new SES message id. The first one received from a sender claims
// the pair (sender, Message-ID) with a conditional put; a later one creates and sends nothing.
// The same SES message resumed after a crash keeps its claim.
import { createHash } from 'node:crypto';
import type { Deps } from '../deps.ts';
import { ConditionFailedError } from '../errors.ts';

export type IsDuplicateMessageOptions = {
  deps: Deps;
  /** Lowercase address of the authenticated sender. */
  sender: string;
  /** The Message-ID header; without one nothing can be compared. */
  headerMessageId: string | undefined;
  /** The SES message id of this delivery. */
  messageId: string;
  ttl: number;
};

const messageKey = (sender: string, headerMessageId: string) => ({
  pk: `MSGID#${createHash('sha256').update(`${sender}\n${headerMessageId.trim()}`).digest('hex')}`,
  sk: 'MSGID',
});

export async function isDuplicateMessage(options: IsDuplicateMessageOptions): Promise<boolean> {
  if (!options.headerMessageId?.trim()) return false;
  const key = messageKey(options.sender, options.headerMessageId);
  try {
    await options.deps.store.put(
      { ...key, kind: 'message-id', messageId: options.messageId, ttl: options.ttl },
      { ifNotExists: true },
    );
    return false;
  } catch (error) {
    if (!(error instanceof ConditionFailedError)) throw error;
  }
  const first = await options.deps.store.get(key);
  return first?.messageId !== options.messageId;
}
