// One sweep of the scheduled work: every envelope check due by the clock (reminders, expiry),
// then, when asked, the retention job (raw mail, closed accounts) with its settlement of
// interrupted charges. On AWS an EventBridge schedule runs the sweep; locally the local stack's
// clock does, and `POST /dev/jobs/run` runs it at once. A job that fails stays in the due-index
// for the next sweep; the others go on.
import type { Deps } from '../deps.ts';
import { applyRetention } from '../retention/apply-retention.ts';
import { checkEnvelope, type EnvelopeCheckAction } from './check-envelope.ts';
import { completeJob, listDueJobs } from './due-jobs.ts';

const PAGE = 100;

export type DueJobReport =
  | EnvelopeCheckAction
  | { job: 'failed'; kind: string; subject: string; error: string }
  | { job: 'retention'; rawMailDeleted: number; accountsPurged: number; documentsDeleted: number }
  | { job: 'charge-settlement'; settled: number; left: number };

export type RunDueJobsOptions = { deps: Deps; includeRetention?: boolean };

export async function runDueJobs({
  deps,
  includeRetention = false,
}: RunDueJobsOptions): Promise<{ ran: DueJobReport[] }> {
  const ran: DueJobReport[] = [];
  const seen = new Set<string>();
  for (;;) {
    const jobs = (await listDueJobs({ store: deps.store, now: deps.clock.now(), limit: PAGE + seen.size })).filter(
      (job) => !seen.has(job.key.sk),
    );
    if (jobs.length === 0) break;
    for (const job of jobs) {
      seen.add(job.key.sk);
      try {
        const result = await checkEnvelope({ deps, envelopeId: job.subject, dueAt: new Date(job.dueAt) });
        ran.push(...result.actions);
        await completeJob(deps.store, job);
      } catch (error) {
        ran.push({ job: 'failed', kind: job.kind, subject: job.subject, error: (error as Error).name });
      }
    }
  }
  if (includeRetention) {
    const report = await applyRetention({ deps });
    ran.push(
      { job: 'charge-settlement', settled: report.pendingChargesSettled, left: report.pendingChargesLeft },
      {
        job: 'retention',
        rawMailDeleted: report.rawMailDeleted,
        accountsPurged: report.accountsPurged,
        documentsDeleted: report.documentsDeleted,
      },
    );
  }
  return { ran };
}
