// The Workflow port for the local stack: runs lib/workflows/finalize.asl.json itself with
// aws-local-stepfunctions, each Task state mapped to the same step function its Lambda runs
// (handlers/finalize-step.ts `stepOf`), without the AWS roots the Lambda entry points import.
// One run per envelope and attempt, like a Step Functions execution named after the envelope id.
import { readFileSync } from 'node:fs';
import type { Deps } from '../core/deps.ts';
import { ConditionFailedError } from '../core/errors.ts';
import { finalizationRunName, type Workflow } from '../core/ports.ts';
import { certifyEnvelopeDocument } from '../core/finalize/certify-envelope-document.ts';
import { completeEnvelope } from '../core/finalize/complete-envelope.ts';
import { deliverEnvelope } from '../core/finalize/deliver-envelope.ts';
import { notifyFinalizationFailure } from '../core/finalize/notify-finalization-failure.ts';
import { prepareFinalization } from '../core/finalize/prepare-finalization.ts';
import { warmStampFonts } from '../core/pdf/stamp-fonts.ts';
import { createAssembleStep, logReaderFallback } from '../handlers/finalize-assemble-step.ts';
import { runStep, stepOf } from '../handlers/finalize-step.ts';
import type { PipelineTrace } from './local-pipeline-trace.ts';

export const FINALIZE_DEFINITION_PATH = new URL('../../lib/workflows/finalize.asl.json', import.meta.url);

// aws-local-stepfunctions 3 calls Promise.withResolvers (Node 22); Node 20 lacks it.
function polyfillWithResolvers(): void {
  const promise = Promise as unknown as { withResolvers?: unknown };
  if (typeof promise.withResolvers === 'function') return;
  promise.withResolvers = function withResolvers<T>() {
    let resolve!: (value: T) => void;
    let reject!: (reason?: unknown) => void;
    const created = new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise: created, resolve, reject };
  };
}

/** The ASL with its `${XFunctionArn}` placeholders substituted, as CDK does on AWS. */
export function loadFinalizeDefinition(): Record<string, unknown> {
  const text = readFileSync(FINALIZE_DEFINITION_PATH, 'utf8').replace(
    /\$\{(\w+)FunctionArn\}/g,
    (_, name: string) => `arn:aws:lambda:eu-west-3:000000000000:function:mailsign-local-${name}`,
  );
  return JSON.parse(text) as Record<string, unknown>;
}

async function loadStateMachine() {
  const { StateMachine } = await import('aws-local-stepfunctions');
  return new StateMachine(loadFinalizeDefinition() as never, { validationOptions: {} });
}

export type LocalWorkflowOptions = {
  getDeps: () => Deps;
  /** Milliseconds between retries (the ASL's backoff is for AWS; locally a pause is enough). */
  retryIntervalMs?: number;
  onError?: (error: unknown) => void;
  /** Records each state's run (the pipeline benchmark's breakdown). */
  trace?: PipelineTrace;
};

export type LocalWorkflow = Workflow & {
  /** Resolves when every started run has ended. */
  idle(): Promise<void>;
  /** True while a run of this envelope is alive in this process. */
  running(envelopeId: string): boolean;
};

export function createLocalWorkflow(options: LocalWorkflowOptions): LocalWorkflow {
  polyfillWithResolvers();
  const runs = new Set<Promise<unknown>>();
  const live = new Map<string, number>();
  // As the Assemble function's initialisation does (handlers/finalize-assemble.ts).
  void warmStampFonts();
  const steps = {
    Prepare: stepOf(prepareFinalization),
    Assemble: createAssembleStep(logReaderFallback),
    Certify: stepOf(certifyEnvelopeDocument),
    Deliver: stepOf(deliverEnvelope),
    Complete: stepOf(completeEnvelope),
    NotifyFailure: stepOf(notifyFinalizationFailure),
  };
  const { trace } = options;
  const handlers = Object.fromEntries(
    Object.entries(steps).map(([state, step]) => {
      const handler = runStep(step as never, options.getDeps);
      return [state, trace ? (input: never) => trace.inStep(state, () => handler(input)) : handler];
    }),
  );
  const retryIntervalMs = options.retryIntervalMs ?? 500;
  // One state machine for every run: building it validates the ASL against its JSON schema (ajv
  // compiles the schema: ~0.4 s), which every finalization used to pay. Started now, so the stack's
  // start pays it, not the first signer; a definition that does not validate fails that first run.
  const machine = loadStateMachine();
  machine.catch(() => undefined);
  return {
    async startFinalization(start) {
      const { envelopeId } = start;
      const deps = options.getDeps();
      const name = finalizationRunName(start);
      try {
        await deps.store.put(
          {
            pk: `ENV#${envelopeId}`,
            sk: `EXECUTION#${name}`,
            kind: 'execution',
            name,
            startedAt: deps.clock.now().toISOString(),
          },
          { ifNotExists: true },
        );
      } catch (error) {
        if (error instanceof ConditionFailedError) return; // already started: same as ExecutionAlreadyExists
        throw error;
      }
      const execution = (await machine).run(
        { envelopeId },
        {
          overrides: {
            taskResourceLocalHandlers: handlers as never,
            retryIntervalOverrides: Object.fromEntries(Object.keys(steps).map((state) => [state, retryIntervalMs])),
          },
        },
      );
      live.set(envelopeId, (live.get(envelopeId) ?? 0) + 1);
      const run = execution.result
        .catch((error: unknown) => options.onError?.(error))
        .finally(() => {
          runs.delete(run);
          live.set(envelopeId, (live.get(envelopeId) ?? 1) - 1);
        });
      runs.add(run);
    },
    async idle() {
      while (runs.size > 0) await Promise.allSettled([...runs]);
    },
    running: (envelopeId) => (live.get(envelopeId) ?? 0) > 0,
  };
}
