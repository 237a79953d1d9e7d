// Hands chunks from a producer (a document downloading) to a consumer (the same bytes being
// stored elsewhere) as they come: an async iterable fed by push(), closed by end() or fail().
// Chunks wait in memory while the consumer is slower; nothing is copied.

export type ChunkRelay = AsyncIterable<Uint8Array> & {
  push(chunk: Uint8Array): void;
  end(): void;
  /** Ends the consumer's iteration with this error (the consumer aborts what it was doing). */
  fail(error: unknown): void;
};

export function createChunkRelay(): ChunkRelay {
  const queue: Uint8Array[] = [];
  let ended = false;
  let failure: { error: unknown } | undefined;
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  return {
    push(chunk) {
      if (ended || failure) throw new Error('A chunk was pushed after the relay was closed.');
      queue.push(chunk);
      notify();
    },
    end() {
      ended = true;
      notify();
    },
    fail(error) {
      failure ??= { error };
      notify();
    },
    async *[Symbol.asyncIterator]() {
      for (;;) {
        if (failure) throw failure.error;
        const chunk = queue.shift();
        if (chunk) yield chunk;
        else if (ended) return;
        else await new Promise<void>((resolve) => (wake = resolve));
      }
    },
  };
}
