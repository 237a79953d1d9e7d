// Lambda entry point of the scheduled-jobs sweep (EventBridge, every 15 minutes): runs the
// envelope checks due by now from the due-index (automatic reminders, expiry). Retention and the
// settlement of interrupted charges stay in the daily retention job.
import { loadConfig } from '../config.ts';
import type { Deps } from '../core/deps.ts';
import { runDueJobs } from '../core/scheduling/run-due-jobs.ts';
import { createScheduledJobsDeps } from '../runtime/aws/scheduled-jobs-root.ts';
import { observeHandler } from '../runtime/aws/observability.ts';

export function createScheduledJobsHandler(getDeps: () => Deps): (event?: unknown) => Promise<{ ran: number }> {
  return async () => {
    const { ran } = await runDueJobs({ deps: getDeps() });
    // Counts by job only: never addresses.
    const counts: Record<string, number> = {};
    for (const report of ran) counts[report.job] = (counts[report.job] ?? 0) + 1;
    console.log(JSON.stringify({ event: 'scheduled-jobs.done', ...counts }));
    // Failed checks stay due; failing the invocation makes EventBridge retry and the alarm see it.
    if (counts.failed) throw new Error(`${counts.failed} scheduled job(s) failed; they stay due for the next sweep`);
    return { ran: ran.length };
  };
}

let deps: Deps | undefined;
export const handler = observeHandler(
  'scheduled-jobs',
  createScheduledJobsHandler(() => (deps ??= createScheduledJobsDeps(loadConfig()))),
);
