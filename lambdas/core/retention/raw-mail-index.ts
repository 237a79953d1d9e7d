// Which raw inbound mails were received on which day, so the retention job can delete them
// after the retention period without listing the bucket: RAWMAIL#<yyyy-mm-dd> / <messageId>,
// plus one RAWMAIL-DAYS / <yyyy-mm-dd> marker per day that still has mail to delete.
import type { Store } from '../ports.ts';

export const rawMailDayPk = (day: string) => `RAWMAIL#${day}`;
export const RAW_MAIL_DAYS_PK = 'RAWMAIL-DAYS';

export const dayOf = (date: Date) => date.toISOString().slice(0, 10);

export type IndexRawMailOptions = { store: Store; messageId: string; receivedAt: Date };

export async function indexRawMail({ store, messageId, receivedAt }: IndexRawMailOptions): Promise<void> {
  const day = dayOf(receivedAt);
  await store.put({
    pk: rawMailDayPk(day),
    sk: messageId,
    kind: 'raw-mail',
    messageId,
    receivedAt: receivedAt.toISOString(),
  });
  await store.put({ pk: RAW_MAIL_DAYS_PK, sk: day, kind: 'raw-mail-day', day });
}
