// Lambda entry point of the daily retention job (EventBridge schedule): deletes raw mail past the
// retention period and the documents of accounts closed for longer than the grace period.
import { loadConfig } from '../config.ts';
import type { Deps } from '../core/deps.ts';
import { applyRetention, type RetentionReport } from '../core/retention/apply-retention.ts';
import { observeHandler, reportRetention } from '../runtime/aws/observability.ts';
import { createRetentionDeps } from '../runtime/aws/retention-root.ts';

export function createRetentionHandler(getDeps: () => Deps): (event?: unknown) => Promise<RetentionReport> {
  return async () => {
    const report = await applyRetention({ deps: getDeps() });
    console.log(JSON.stringify({ event: 'retention.done', ...report }));
    return report;
  };
}

let deps: Deps | undefined;
export const handler = observeHandler(
  'retention',
  createRetentionHandler(() => (deps ??= createRetentionDeps(loadConfig()))),
  (report) => reportRetention(report),
);
