// Where the time of a local finalization goes: an optional trace the local stack can carry (the
// pipeline benchmark turns it on). Every port call is recorded as a span (document GET/PUT with
// its size, table round trip, mail, seal signature, time stamp, CRL) and attributed to the
// workflow state running it (AsyncLocalStorage), so the bench prints per step what was I/O and
// how many times the document crossed the wire. The main thread's garbage-collection pauses are
// recorded beside them (kind 'gc', attributed by time, not by step: a pause stops every step on
// the thread). Off by default: nothing is wrapped, nothing observed.
import { AsyncLocalStorage } from 'node:async_hooks';
import { PerformanceObserver } from 'node:perf_hooks';
import type { Deps } from '../core/deps.ts';
import type { BlobStore } from '../core/ports.ts';
import { outgoingMailSize } from '../core/mail/outgoing-mail.ts';

export type PipelineSpanKind =
  | 'step'
  | 'start-execution'
  | 'blob-get'
  | 'blob-put'
  | 'store'
  | 'mail'
  | 'seal'
  | 'timestamp'
  | 'revocation'
  | 'gc';

export type PipelineSpan = {
  kind: PipelineSpanKind;
  /** The workflow state that ran it ('' outside any state: the signing API, intake). */
  step: string;
  /** What exactly: the state name, the store operation, the blob key. */
  label: string;
  startMs: number;
  endMs: number;
  bytes?: number;
};

export type PipelineTrace = {
  readonly spans: PipelineSpan[];
  /** Runs `run` as the workflow state `step`: the spans it causes are attributed to it. */
  inStep<T>(step: string, run: () => Promise<T>): Promise<T>;
  /** Times one call as a span of the current step. */
  time<T>(kind: PipelineSpanKind, label: string, run: () => Promise<T>, bytes?: (result: T) => number): Promise<T>;
  clear(): void;
};

export function createPipelineTrace(): PipelineTrace {
  const current = new AsyncLocalStorage<string>();
  const spans: PipelineSpan[] = [];
  // A performance observer holds no handle: it does not keep a stopped stack's process alive.
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries())
      spans.push({
        kind: 'gc',
        step: '',
        label: 'pause',
        startMs: entry.startTime,
        endMs: entry.startTime + entry.duration,
      });
  }).observe({ entryTypes: ['gc'] });
  const time: PipelineTrace['time'] = async (kind, label, run, bytes) => {
    const step = current.getStore() ?? '';
    const startMs = performance.now();
    const result = await run();
    spans.push({ kind, step, label, startMs, endMs: performance.now(), ...(bytes && { bytes: bytes(result) }) });
    return result;
  };
  return {
    spans,
    inStep: (step, run) => current.run(step, () => time('step', step, run)),
    time,
    clear: () => {
      spans.length = 0;
    },
  };
}

function traceBlobStore(blobs: BlobStore, trace: PipelineTrace): BlobStore {
  return {
    ...blobs,
    get: (key, options) =>
      trace.time(
        'blob-get',
        key,
        () => blobs.get(key, options),
        (body) => body?.byteLength ?? 0,
      ),
    readChunks: (key, onChunk) =>
      trace.time(
        'blob-get',
        key,
        () => blobs.readChunks(key, onChunk),
        (size) => size ?? 0,
      ),
    put: (options) =>
      trace.time(
        'blob-put',
        options.key,
        () => blobs.put(options),
        () => options.body.byteLength,
      ),
    putStream: (options) =>
      trace.time(
        'blob-put',
        options.key,
        () => blobs.putStream(options),
        () => options.size,
      ),
  };
}

/** The same deps, each port call recorded in `trace`. */
export function traceDeps(deps: Deps, trace: PipelineTrace): Deps {
  const { store, mailer, digestSigner, workflow, timestampAuthority, revocationSource } = deps;
  return {
    ...deps,
    store: {
      get: (key) => trace.time('store', 'get', () => store.get(key)),
      put: (item, options) => trace.time('store', 'put', () => store.put(item, options)),
      update: (key, options) => trace.time('store', 'update', () => store.update(key, options)),
      query: (pk, options) => trace.time('store', 'query', () => store.query(pk, options)),
      delete: (key) => trace.time('store', 'delete', () => store.delete(key)),
    },
    documents: traceBlobStore(deps.documents, trace),
    rawMail: traceBlobStore(deps.rawMail, trace),
    mailer: {
      send: (mail) =>
        trace.time(
          'mail',
          'send',
          () => mailer.send(mail),
          () => outgoingMailSize(mail),
        ),
    },
    digestSigner: {
      signDigest: (digest) => trace.time('seal', 'signDigest', () => digestSigner.signDigest(digest)),
      certificateChain: () => digestSigner.certificateChain(),
    },
    workflow: {
      startFinalization: (options) =>
        trace.time('start-execution', options.envelopeId, () => workflow.startFinalization(options)),
    },
    ...(timestampAuthority && {
      timestampAuthority: {
        describe: () => timestampAuthority.describe(),
        timestamp: (digest) => trace.time('timestamp', 'tsa', () => timestampAuthority.timestamp(digest)),
      },
    }),
    ...(revocationSource && {
      revocationSource: {
        fetchCrl: (url) => trace.time('revocation', 'crl', () => revocationSource.fetchCrl(url)),
      },
    }),
  };
}
