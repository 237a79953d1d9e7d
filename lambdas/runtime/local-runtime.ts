// What the local stack serves: the API routes (the same handler factories the Lambdas use)
// and the finalization runner. Kept apart from the servers so tests can start the same stack.
import type { Deps } from '../core/deps.ts';
import type { Workflow } from '../core/ports.ts';
import { createAccountApiHandler } from '../handlers/account-api.ts';
import { createSigningApiHandler } from '../handlers/signing-api.ts';
import { createVerifyApiHandler } from '../handlers/verify-api.ts';
import type { LocalHttpHandler } from './local-http-gateway.ts';
import { createLocalWorkflow } from './local-workflow.ts';

export type LocalRuntime = {
  routes: Array<{ prefix: string; create: (getDeps: () => Deps) => LocalHttpHandler }>;
  createWorkflow: (getDeps: () => Deps, log: (line: string) => void) => Workflow & { idle?(): Promise<void> };
};

export type CreateLocalRuntimeOptions = { retryIntervalMs?: number };

export function createLocalRuntime(options: CreateLocalRuntimeOptions = {}): LocalRuntime {
  return {
    routes: [
      { prefix: '/api/signing', create: (getDeps) => createSigningApiHandler(getDeps) as LocalHttpHandler },
      { prefix: '/api/account', create: (getDeps) => createAccountApiHandler(getDeps) as LocalHttpHandler },
      { prefix: '/api/verify', create: (getDeps) => createVerifyApiHandler(getDeps) as LocalHttpHandler },
    ],
    createWorkflow: (getDeps, log) =>
      createLocalWorkflow({
        getDeps,
        retryIntervalMs: options.retryIntervalMs,
        onError: (error) => log(`Finalization run failed: ${(error as Error).message}`),
      }),
  };
}
