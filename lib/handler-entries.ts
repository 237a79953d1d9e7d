// Which Lambda handlers the service has and where their sources are: the stack bundles them, the
// bundling tests and the CLI's checks find them here, and each one's construct id comes from its name.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

export const HANDLER_NAMES = [
  'intake',
  'signing-api',
  'account-api',
  'verify-api',
  'finalize-prepare',
  'finalize-assemble',
  'finalize-certify',
  'finalize-deliver',
  'finalize-complete',
  'finalize-notify-failure',
  'retention',
  'scheduled-jobs',
  'payments-webhook',
] as const;
export type HandlerName = (typeof HANDLER_NAMES)[number];

export function defaultHandlerEntry(name: HandlerName): string {
  return join(PROJECT_ROOT, 'lambdas', 'handlers', `${name}.ts`);
}

export function toConstructId(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_match, _dash: string, letter: string) => letter.toUpperCase());
}

export function missingHandlerEntries(): string[] {
  return HANDLER_NAMES.map(defaultHandlerEntry).filter((path) => !existsSync(path));
}
