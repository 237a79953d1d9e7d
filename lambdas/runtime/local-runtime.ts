// What the local stack serves: the API routes (the same handler factories the Lambdas use)
// and the finalization runner. Kept apart from the servers so tests can start the same stack.
import type { Deps } from '../core/deps.ts';
import type { Workflow } from '../core/ports.ts';
import type { LocalHttpHandler } from './local-http-gateway.ts';

export type LocalRuntime = {
  routes: Array<{ prefix: string; create: (getDeps: () => Deps) => LocalHttpHandler }>;
  createWorkflow: (getDeps: () => Deps) => Workflow;
};

export function createLocalRuntime(): LocalRuntime {
  return {
    routes: [],
    createWorkflow: () => ({
      // Replaced by the local Step Functions runner once finalization exists.
      async startFinalization() {},
    }),
  };
}
