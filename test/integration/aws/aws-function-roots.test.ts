// The per-function AWS composition roots: each builds the adapters its function uses, once per
// configuration, and a port it does not build fails with a clear error instead of pulling an SDK in.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../lambdas/config.ts';
import {
  ADAPTER_PORTS,
  AdapterNotBuiltError,
  createAwsRoot,
  lazyAdapter,
} from '../../../lambdas/runtime/aws/aws-root.ts';
import type { Mailer, OutgoingMail } from '../../../lambdas/core/ports.ts';
import { awsStore } from '../../../lambdas/runtime/aws/dynamodb.ts';
import { createAccountApiDeps } from '../../../lambdas/runtime/aws/account-api-root.ts';
import { createFinalizeCertifyDeps } from '../../../lambdas/runtime/aws/finalize-certify-root.ts';
import { createFinalizeAssembleDeps } from '../../../lambdas/runtime/aws/finalize-assemble-root.ts';
import { createFinalizeCompleteDeps } from '../../../lambdas/runtime/aws/finalize-complete-root.ts';
import { createFinalizeDeliverDeps } from '../../../lambdas/runtime/aws/finalize-deliver-root.ts';
import { createFinalizeNotifyFailureDeps } from '../../../lambdas/runtime/aws/finalize-notify-failure-root.ts';
import { createFinalizePrepareDeps } from '../../../lambdas/runtime/aws/finalize-prepare-root.ts';
import { createIntakeDeps } from '../../../lambdas/runtime/aws/intake-root.ts';
import { createRetentionDeps } from '../../../lambdas/runtime/aws/retention-root.ts';
import { createSigningApiDeps } from '../../../lambdas/runtime/aws/signing-api-root.ts';
import { createPaymentsWebhookDeps } from '../../../lambdas/runtime/aws/payments-webhook-root.ts';
import { createScheduledJobsDeps } from '../../../lambdas/runtime/aws/scheduled-jobs-root.ts';
import { createVerifyApiDeps } from '../../../lambdas/runtime/aws/verify-api-root.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..');

const env = {
  MAILSIGN_PUBLIC_URL: 'https://sign.example.com/',
  MAILSIGN_SERVICE_ADDRESS: 'sign@example.com',
  MAILSIGN_INBOUND_ADDRESSES: 'sign@in.example.com',
  MAILSIGN_CUSTOMER_DOMAINS: 'example.com',
  MAILSIGN_TABLE: 'table',
  MAILSIGN_RAW_BUCKET: 'raw',
  MAILSIGN_DOCUMENTS_BUCKET: 'docs',
  AWS_REGION: 'eu-west-1',
};

/** Every port an adapter factory builds (the root's own list, which the type checker keeps complete). */
const ALL = ADAPTER_PORTS;

/** Each Lambda entry and the root it uses (as wired in lambdas/handlers/). */
const ROOTS = [
  ['signing-api', createSigningApiDeps],
  ['account-api', createAccountApiDeps],
  ['intake', createIntakeDeps],
  ['retention', createRetentionDeps],
  ['finalize-prepare', createFinalizePrepareDeps],
  ['finalize-assemble', createFinalizeAssembleDeps],
  ['finalize-complete', createFinalizeCompleteDeps],
  ['finalize-certify', createFinalizeCertifyDeps],
  ['finalize-deliver', createFinalizeDeliverDeps],
  ['finalize-notify-failure', createFinalizeNotifyFailureDeps],
  ['scheduled-jobs', createScheduledJobsDeps],
  ['verify-api', createVerifyApiDeps],
  ['payments-webhook', createPaymentsWebhookDeps],
] as const;

/** The ports the domain code bundled into a handler reads (`deps.<port>` or `{ <port> } = deps`). */
async function portsReachedBy(handler: string): Promise<string[]> {
  const result = await build({
    entryPoints: [join(ROOT, 'lambdas', 'handlers', `${handler}.ts`)],
    bundle: true,
    write: false,
    outdir: 'unused',
    format: 'esm',
    platform: 'node',
    packages: 'external',
    metafile: true,
    logLevel: 'error',
  });
  const sources = Object.keys(result.metafile.inputs)
    .filter((input) => input.startsWith('lambdas/core/'))
    .map((input) => readFileSync(join(ROOT, input), 'utf8'));
  return ALL.filter((port) =>
    sources.some((source) =>
      new RegExp(`\\bdeps\\.${port}\\b|\\{[^}]*\\b${port}\\b[^}]*\\}\\s*=\\s*(options\\.)?deps\\b`).test(source),
    ),
  );
}

describe('per-function AWS composition roots', () => {
  it.each(ROOTS)('%s builds exactly the adapters its code reaches', async (handler, createDeps) => {
    const needs: string[] = await portsReachedBy(handler);
    expect(needs).toContain('store');
    const deps = createDeps(loadConfig(env)) as unknown as Record<string, Record<string, unknown>>;
    for (const port of ALL) {
      // An optional port (time-stamping without a configured TSA) may be built as nothing at all.
      const read = () => (deps[port] as { anything?: unknown } | undefined)?.anything;
      if (needs.includes(port)) expect(read, port).not.toThrow();
      else expect(read, port).toThrow(AdapterNotBuiltError);
    }
  });

  it('builds the deps once per configuration and each adapter once', () => {
    const createDeps = createAwsRoot({ store: awsStore });
    const config = loadConfig(env);
    const deps = createDeps(config);
    expect(createDeps(config)).toBe(deps);
    expect(deps.store).toBe(deps.store);
    expect(deps.settings.serviceAddress).toBe('sign@example.com');
    expect(deps.random.bytes(8)).toHaveLength(8);
  });

  it('keeps every port when the deps are spread, as use cases do', () => {
    const deps = createSigningApiDeps(loadConfig(env));
    const spread = { ...deps };
    expect(spread.store).toBe(deps.store);
    expect(spread.workflow).toBe(deps.workflow);
    expect(() => spread.digestSigner.signDigest).toThrow(AdapterNotBuiltError);
  });

  it('names the port and the member when a function uses a port it was not built with', async () => {
    const deps = createAwsRoot({ store: awsStore })(loadConfig(env));
    expect(() => deps.mailer.send).toThrow(/does not build the mailer\.send adapter/);
    // Awaiting a missing port does not hang on a fake `then`.
    await expect(Promise.resolve(deps.sms)).resolves.toBeDefined();
  });

  it('loads a lazy adapter on the first call of a port method, once, and again after a failed load', async () => {
    const sent: OutgoingMail[] = [];
    const recording: Mailer = {
      send: async (mail) => {
        sent.push(mail);
        return { messageId: `m${sent.length}` };
      },
    };
    let loads = 0;
    const deps = createAwsRoot({
      mailer: lazyAdapter('mailer', async () => {
        loads += 1;
        if (loads === 1) throw new Error('chunk not readable');
        return () => recording;
      }),
    })(loadConfig(env));
    expect(loads).toBe(0); // building the deps reads no adapter module

    const mail = { from: 'sign@example.com', to: ['claire@example.com'], raw: new Uint8Array([1]) };
    await expect(deps.mailer.send(mail)).rejects.toThrow('chunk not readable');
    expect(await deps.mailer.send(mail)).toEqual({ messageId: 'm1' });
    expect(await deps.mailer.send(mail)).toEqual({ messageId: 'm2' });

    expect(loads).toBe(2);
    expect(sent).toHaveLength(2);
  });
});
