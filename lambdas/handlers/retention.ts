// Lambda entry point of the daily retention job (EventBridge schedule): deletes raw mail past the
// retention period and the documents of accounts closed for longer than the grace period.
import { loadBillingConfig, loadConfig } from '../config.ts';
import type { Deps } from '../core/deps.ts';
import type { BillingSettings } from '../core/payments/billing-settings.ts';
import { completePendingPayments } from '../core/payments/record-payment.ts';
import { applyRetention, type RetentionReport } from '../core/retention/apply-retention.ts';
import { observeHandler, reportRetention } from '../runtime/aws/observability.ts';
import { createRetentionDeps } from '../runtime/aws/retention-root.ts';

/** `getBilling`, when invoicing is configured, lets the job also finish payments a crash left unfinished. */
export function createRetentionHandler(
  getDeps: () => Deps,
  getBilling?: () => BillingSettings | undefined,
): (event?: unknown) => Promise<RetentionReport> {
  return async () => {
    const report = await applyRetention({ deps: getDeps() });
    const billing = getBilling?.();
    const payments = billing ? await completePendingPayments({ ...getDeps(), billing }) : undefined;
    console.log(JSON.stringify({ event: 'retention.done', ...report, ...(payments && { payments }) }));
    return report;
  };
}

let deps: Deps | undefined;
export const handler = observeHandler(
  'retention',
  createRetentionHandler(
    () => (deps ??= createRetentionDeps(loadConfig())),
    () => loadBillingConfig(),
  ),
  (report) => reportRetention(report),
);
