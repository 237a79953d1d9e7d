// Time and scheduled work in the local stack: a clock that `POST /dev/clock {advanceMs}` moves
// forward, `POST /dev/jobs/run` that runs at once every job due by that clock (reminders,
// expiry, charge settlement, retention), and a timer that sweeps the due envelope checks every
// minute, as the EventBridge schedule does on AWS. Local stack only: no such route on AWS.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Deps } from '../core/deps.ts';
import type { Clock } from '../core/ports.ts';
import { runDueJobs } from '../core/scheduling/run-due-jobs.ts';

export type AdjustableClock = Clock & { advance(ms: number): Date };

export function createAdjustableClock(base: Clock): AdjustableClock {
  let offsetMs = 0;
  return {
    now: () => new Date(base.now().getTime() + offsetMs),
    advance(ms) {
      offsetMs += ms;
      return new Date(base.now().getTime() + offsetMs);
    },
  };
}

export type LocalScheduler = {
  /** Answers /dev/clock and /dev/jobs/run; false for any other path. */
  handle(request: IncomingMessage, response: ServerResponse, path: string): Promise<boolean>;
  stop(): void;
};

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, {
    'content-type': status >= 400 ? 'application/problem+json' : 'application/json',
    'cache-control': 'no-store',
  });
  response.end(JSON.stringify(body));
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return text ? JSON.parse(text) : {};
  } catch {
    return undefined;
  }
}

export function createLocalScheduler(options: {
  clock: AdjustableClock;
  getDeps: () => Deps;
  intervalMs?: number;
  log: (line: string) => void;
}): LocalScheduler {
  let running: Promise<unknown> = Promise.resolve();
  // One sweep at a time from this process (a sweep overlapping another would still be harmless).
  const sweep = (includeRetention: boolean) => {
    const next = running.then(() => runDueJobs({ deps: options.getDeps(), includeRetention }));
    running = next.catch(() => undefined);
    return next;
  };
  const timer =
    options.intervalMs === 0
      ? undefined
      : setInterval(() => {
          sweep(false).catch((error: unknown) => options.log(`Scheduled jobs failed: ${(error as Error).message}`));
        }, options.intervalMs ?? 60_000);
  timer?.unref();
  return {
    async handle(request, response, path) {
      if (path === '/dev/clock' && request.method === 'POST') {
        const body = (await readJson(request)) as { advanceMs?: unknown } | undefined;
        const advanceMs = body?.advanceMs;
        if (typeof advanceMs !== 'number' || !Number.isFinite(advanceMs) || advanceMs < 0) {
          sendJson(response, 400, {
            status: 400,
            code: 'BAD_REQUEST',
            title: 'Bad request',
            detail: 'Give {"advanceMs": <milliseconds, 0 or more>}: the clock only moves forward.',
          });
          return true;
        }
        sendJson(response, 200, { now: options.clock.advance(advanceMs).toISOString() });
        return true;
      }
      if (path === '/dev/jobs/run' && request.method === 'POST') {
        sendJson(response, 200, await sweep(true));
        return true;
      }
      return false;
    },
    stop() {
      if (timer) clearInterval(timer);
    },
  };
}
