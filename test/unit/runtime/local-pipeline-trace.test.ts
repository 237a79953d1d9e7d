// The local pipeline trace records, beside the port calls, the main thread's GC pauses.
import { describe, expect, it, vi } from 'vitest';
import { createPipelineTrace } from '../../../lambdas/runtime/local-pipeline-trace.ts';

/** Short-lived objects well past the young generation's size: the collector has to run. */
function churn(): number {
  const ring: object[] = new Array(1024);
  for (let i = 0; i < 2_000_000; i += 1) ring[i % ring.length] = { i, label: `object ${i}` };
  return ring.length;
}

describe('local pipeline trace', () => {
  it("records the main thread's garbage-collection pauses as timed spans", async () => {
    const trace = createPipelineTrace();

    churn();

    await vi.waitFor(() => expect(trace.spans.some((span) => span.kind === 'gc')).toBe(true));
    const pause = trace.spans.find((span) => span.kind === 'gc');
    expect(pause?.step).toBe('');
    expect(pause?.endMs).toBeGreaterThanOrEqual(pause?.startMs ?? Number.POSITIVE_INFINITY);
  });

  it('forgets the recorded pauses when cleared', async () => {
    const trace = createPipelineTrace();
    churn();
    await vi.waitFor(() => expect(trace.spans.some((span) => span.kind === 'gc')).toBe(true));

    trace.clear();

    expect(trace.spans).toEqual([]);
  });
});
