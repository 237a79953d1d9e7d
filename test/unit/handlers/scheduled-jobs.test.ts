// The scheduled-jobs Lambda: runs the due envelope checks, logs counts only, and fails the
// invocation when a check failed (it stays due; EventBridge retries, the alarm sees it).
import { describe, expect, it, vi } from 'vitest';
import { scheduleJob } from '../../../lambdas/core/scheduling/due-jobs.ts';
import { createScheduledJobsHandler } from '../../../lambdas/handlers/scheduled-jobs.ts';
import { createFakeDeps } from '../../support/fake-deps.ts';

describe('scheduled-jobs handler', () => {
  it('answers the number of jobs run when all went well', async () => {
    const deps = createFakeDeps();
    vi.spyOn(console, 'log').mockImplementation(() => {});
    expect(await createScheduledJobsHandler(() => deps)()).toEqual({ ran: 0 });
  });

  it('fails the invocation when a check failed, leaving it due', async () => {
    const deps = createFakeDeps();
    vi.spyOn(console, 'log').mockImplementation(() => {});
    await scheduleJob({ store: deps.store, kind: 'envelope-check', subject: 'broken', dueAt: deps.clock.now() });
    const get = deps.store.get.bind(deps.store);
    deps.store.get = async (key) => {
      if (key.pk === 'ENV#broken') throw new Error('store down');
      return get(key);
    };
    await expect(createScheduledJobsHandler(() => deps)()).rejects.toThrow(/1 scheduled job\(s\) failed/);
    expect(await deps.store.query('DUE-JOBS')).toHaveLength(1);
  });
});
