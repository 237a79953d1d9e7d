// What the local stack does at start-up, as the Lambda functions' initialisation does on AWS: with
// a seal already in its data directory, the seal chain's CRLs are requested before any document.
import { afterEach, describe, expect, it } from 'vitest';
import { hasLocalSeal } from '../../lambdas/adapters/local/local-pki.ts';
import { createPipelineTrace } from '../../lambdas/runtime/local-pipeline-trace.ts';
import { startTestStack, type TestStack } from '../support/local-stack-fixture.ts';

const stacks: TestStack[] = [];
afterEach(async () => {
  await Promise.all(stacks.splice(0).map((stack) => stack.cleanup()));
});

/** Resolves once `check` holds, checking on every turn of the event loop (bounded by the test's timeout). */
async function eventually(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setImmediate(resolve));
}

describe('local stack start-up', () => {
  it('requests the seal chain CRLs at start when the data directory already has its seal', async () => {
    const first = await startTestStack();
    await first.deps.digestSigner.certificateChain(); // the seal, made on first use
    await first.stop();
    const trace = createPipelineTrace();

    const restarted = await startTestStack({ dataDir: first.dataDir, trace });
    stacks.push(restarted);

    await eventually(() => trace.spans.some((span) => span.kind === 'revocation'));
    expect(trace.spans.filter((span) => span.kind === 'revocation').map((span) => span.step)).toEqual(['']);
  });

  it('makes no seal and requests no CRL at start in a fresh data directory', async () => {
    const trace = createPipelineTrace();

    const stack = await startTestStack({ trace });
    stacks.push(stack);
    // Long enough for a CRL request of the local trust services to have been made and answered.
    await new Promise((resolve) => setTimeout(resolve, 300));

    expect(trace.spans.filter((span) => span.kind === 'revocation')).toEqual([]);
    expect(await hasLocalSeal(stack.dataDir)).toBe(false);
  });
});
