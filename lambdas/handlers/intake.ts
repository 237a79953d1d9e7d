// Lambda entry point for SES receipt events: intake-receipts.ts's handler, given the AWS adapters
// (the S3 action stored the raw mail under its message id) and observed.
import { loadConfig } from '../config.ts';
import type { Deps } from '../core/deps.ts';
import { createIntakeDeps } from '../runtime/aws/intake-root.ts';
import { observeHandler, reportIntakeOutcomes } from '../runtime/aws/observability.ts';
import { createIntakeHandler } from './intake-receipts.ts';

let deps: Deps | undefined;
export const handler = observeHandler(
  'intake',
  createIntakeHandler(() => (deps ??= createIntakeDeps(loadConfig()))),
  (result) => reportIntakeOutcomes(result.outcomes),
);
