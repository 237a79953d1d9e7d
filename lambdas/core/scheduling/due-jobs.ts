// The due-index: scheduled work is written as it becomes known, one item per job under one
// partition sorted by due time, so a sweep reads only what is due (a range query, never a scan).
// A job is deleted once done; running one twice must be harmless (each job is idempotent).
import type { Store } from '../ports.ts';

export const DUE_JOBS_PK = 'DUE-JOBS';

export type DueJobKind = 'envelope-check';
export type DueJob = { kind: DueJobKind; subject: string; dueAt: string; key: { pk: string; sk: string } };

const jobKey = (kind: DueJobKind, subject: string, dueAt: Date) => ({
  pk: DUE_JOBS_PK,
  sk: `${dueAt.toISOString()}#${kind}#${subject}`,
});

/** Schedules a job (the same kind, subject and time twice is one job). */
export async function scheduleJob(options: {
  store: Store;
  kind: DueJobKind;
  subject: string;
  dueAt: Date;
  /** Clean-up attribute for AWS (seconds); the sweep deletes done jobs itself. */
  ttl?: number;
}): Promise<void> {
  await options.store.put({
    ...jobKey(options.kind, options.subject, options.dueAt),
    kind: 'due-job',
    jobKind: options.kind,
    subject: options.subject,
    dueAt: options.dueAt.toISOString(),
    ...(options.ttl !== undefined && { ttl: options.ttl }),
  });
}

/** Jobs due at `now` or before, oldest first. */
export async function listDueJobs(options: { store: Store; now: Date; limit?: number }): Promise<DueJob[]> {
  // '#' sorts before every character of the kinds, '~' after them: everything up to `now` inclusive.
  const items = await options.store.query(DUE_JOBS_PK, {
    skTo: `${options.now.toISOString()}#~`,
    ...(options.limit !== undefined && { limit: options.limit }),
  });
  return items.map((item) => ({
    kind: item.jobKind as DueJobKind,
    subject: String(item.subject),
    dueAt: String(item.dueAt),
    key: { pk: item.pk, sk: item.sk },
  }));
}

export async function completeJob(store: Store, job: DueJob): Promise<void> {
  await store.delete(job.key);
}
