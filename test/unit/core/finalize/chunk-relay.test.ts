// createChunkRelay: chunks pushed by a producer reach the consumer in order, whether they come
// before or while it reads; end() finishes the reading, fail() throws into it.
import { describe, expect, it } from 'vitest';
import { createChunkRelay } from '../../../../lambdas/core/finalize/chunk-relay.ts';

async function readAll(relay: AsyncIterable<Uint8Array>): Promise<number[]> {
  const bytes: number[] = [];
  for await (const chunk of relay) bytes.push(...chunk);
  return bytes;
}

describe('createChunkRelay', () => {
  it('hands over the chunks pushed before and while the consumer reads, in order', async () => {
    const relay = createChunkRelay();
    relay.push(new Uint8Array([1, 2]));
    const reading = readAll(relay);
    await new Promise((resolve) => setTimeout(resolve, 5));
    relay.push(new Uint8Array([3]));
    relay.push(new Uint8Array([4, 5]));
    relay.end();

    expect(await reading).toEqual([1, 2, 3, 4, 5]);
  });

  it("throws the producer's failure into the consumer's reading", async () => {
    const relay = createChunkRelay();
    const reading = readAll(relay);
    relay.push(new Uint8Array([1]));
    relay.fail(new Error('the original changed'));

    await expect(reading).rejects.toThrow('the original changed');
  });

  it('refuses a chunk pushed after the end', () => {
    const relay = createChunkRelay();
    relay.end();

    expect(() => relay.push(new Uint8Array([1]))).toThrow(/closed/);
  });
});
