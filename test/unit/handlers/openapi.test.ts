// docs/openapi.yaml and the handlers agree: every documented route is served (no 404/405).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createAccountApiHandler } from '../../../lambdas/handlers/account-api.ts';
import type { HttpApiEvent } from '../../../lambdas/handlers/http/api-gateway-types.ts';
import { createSigningApiHandler } from '../../../lambdas/handlers/signing-api.ts';
import { createLocalPaymentProvider } from '../../../lambdas/adapters/local/local-payment-provider.ts';
import { createPaymentsWebhookHandler } from '../../../lambdas/handlers/payments-webhook.ts';
import { testBilling } from '../core/payments/payment-fixture.ts';
import { createVerifyApiHandler } from '../../../lambdas/handlers/verify-api.ts';
import { createFakeDeps } from '../../support/fake-deps.ts';
import { httpEvent } from './http-events.ts';

const spec = parse(readFileSync(new URL('../../../docs/openapi.yaml', import.meta.url), 'utf8')) as {
  paths: Record<string, Record<string, unknown>>;
};
const routes = Object.entries(spec.paths).flatMap(([path, methods]) =>
  Object.keys(methods).map((method) => [method.toUpperCase(), path] as const),
);

function event(method: string, path: string): HttpApiEvent {
  return httpEvent(method, path, method === 'POST' ? { rawBody: '{}' } : {});
}

describe('docs/openapi.yaml', () => {
  const deps = createFakeDeps();
  const signing = createSigningApiHandler(() => deps);
  const paymentDeps = {
    ...deps,
    billing: testBilling,
    payments: createLocalPaymentProvider({ publicUrl: deps.settings.publicUrl, webhookSecret: 'whsec_openapi' }),
  };
  const account = createAccountApiHandler(
    () => deps,
    () => paymentDeps,
  );
  const payments = createPaymentsWebhookHandler(() => paymentDeps);
  const verify = createVerifyApiHandler(() => deps);

  const routeCode = async (method: string, path: string) => {
    const handler = path.startsWith('/api/account')
      ? account
      : path.startsWith('/api/payments')
        ? payments
        : path.startsWith('/api/verify')
          ? verify
          : signing;
    const response = await handler(event(method, path));
    return response.statusCode >= 400 ? (JSON.parse(response.body ?? '{}') as { code?: string }).code : undefined;
  };

  it.each(routes)('%s %s is served by a handler', async (method, path) => {
    expect(['NOT_FOUND', 'METHOD_NOT_ALLOWED']).not.toContain(await routeCode(method, path.replace(/\{[^}]+\}/g, 'x')));
  });

  it('would notice an undocumented path (the check can fail)', async () => {
    expect(await routeCode('GET', '/api/signing/nothing-here')).toBe('NOT_FOUND');
  });
});
