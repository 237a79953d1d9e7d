// What the local stack serves: the API routes (the same handler factories the Lambdas use)
// and the finalization runner. Kept apart from the servers so tests can start the same stack.
import { randomBytes } from 'node:crypto';
import { createLocalPaymentProvider } from '../adapters/local/local-payment-provider.ts';
import type { Deps } from '../core/deps.ts';
import { SAMPLE_SELLER, type PaymentDeps } from '../core/payments/billing-settings.ts';
import type { Workflow } from '../core/ports.ts';
import { createAccountApiHandler } from '../handlers/account-api.ts';
import { createPaymentsWebhookHandler } from '../handlers/payments-webhook.ts';
import { createSigningApiHandler } from '../handlers/signing-api.ts';
import { createLocalDevPayHandler } from './local-dev-pay.ts';
import { createVerifyApiHandler } from '../handlers/verify-api.ts';
import type { LocalHttpHandler } from './local-http-gateway.ts';
import type { PipelineTrace } from './local-pipeline-trace.ts';
import { createLocalWorkflow } from './local-workflow.ts';

export type LocalRuntime = {
  routes: Array<{ prefix: string; create: (getDeps: () => Deps) => LocalHttpHandler }>;
  createWorkflow: (getDeps: () => Deps, log: (line: string) => void) => Workflow & { idle?(): Promise<void> };
};

export type CreateLocalRuntimeOptions = {
  retryIntervalMs?: number;
  /** Records each workflow state's run (the pipeline benchmark). */
  trace?: PipelineTrace;
};

/** Payments on the local stack: the local checkout page and a webhook secret made for this run. */
function localPayments() {
  const webhookSecret = `whsec_local_${randomBytes(24).toString('base64url')}`;
  const byDeps = new WeakMap<Deps, PaymentDeps>();
  const paymentDeps = (getDeps: () => Deps) => () => {
    const deps = getDeps();
    let found = byDeps.get(deps);
    if (!found) {
      found = {
        ...deps,
        payments: createLocalPaymentProvider({ publicUrl: deps.settings.publicUrl, webhookSecret }),
        billing: { vatRateBasisPoints: 2000, invoicePrefix: 'MS', seller: SAMPLE_SELLER },
      };
      byDeps.set(deps, found);
    }
    return found;
  };
  return { webhookSecret, paymentDeps };
}

export function createLocalRuntime(options: CreateLocalRuntimeOptions = {}): LocalRuntime {
  const payments = localPayments();
  return {
    routes: [
      { prefix: '/api/signing', create: (getDeps) => createSigningApiHandler(getDeps) as LocalHttpHandler },
      {
        prefix: '/api/account',
        create: (getDeps) => createAccountApiHandler(getDeps, payments.paymentDeps(getDeps)) as LocalHttpHandler,
      },
      { prefix: '/api/verify', create: (getDeps) => createVerifyApiHandler(getDeps) as LocalHttpHandler },
      {
        prefix: '/api/payments',
        create: (getDeps) => createPaymentsWebhookHandler(payments.paymentDeps(getDeps)) as LocalHttpHandler,
      },
      {
        prefix: '/dev/pay',
        create: (getDeps) =>
          createLocalDevPayHandler({
            getDeps: payments.paymentDeps(getDeps),
            webhookSecret: payments.webhookSecret,
          }) as LocalHttpHandler,
      },
    ],
    createWorkflow: (getDeps, log) =>
      createLocalWorkflow({
        getDeps,
        retryIntervalMs: options.retryIntervalMs,
        trace: options.trace,
        onError: (error) => log(`Finalization run failed: ${(error as Error).message}`),
      }),
  };
}
