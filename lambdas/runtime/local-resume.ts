// What AWS does for free and the local stack must do itself, so nothing is left half-done:
// retry a failed intake like Lambda's asynchronous invocation (3 attempts in all), and, at start,
// resume the work a killed process left (intakes without an outcome, signatures whose effects did
// not finish, finalizations without a live run). Only one local process owns
// a data directory, so at start no other attempt can be alive: leases are ignored.
import type { Deps } from '../core/deps.ts';
import { recordInboundReceived } from '../core/intake/inbound-records.ts';
import type { BlobStore } from '../core/ports.ts';
import { resumeFinalizations } from '../core/finalize/resume-finalizations.ts';
import { resumeStaleIntakes } from '../core/intake/resume-intakes.ts';
import { sweepPendingSignatures } from '../core/signing/signature-effects.ts';

export type RetryLikeLambdaOptions = { attempts?: number; delayMs?: number };

/** Calls `run` again after a failure, like Lambda retries an asynchronous invocation. */
export function retryLikeLambda<A extends unknown[], R>(
  run: (...args: A) => Promise<R>,
  options: RetryLikeLambdaOptions = {},
): (...args: A) => Promise<R> {
  const attempts = options.attempts ?? 3;
  const delayMs = options.delayMs ?? 200;
  return async (...args: A) => {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await run(...args);
      } catch (error) {
        if (attempt >= attempts) throw error;
        await new Promise((resolve) => setTimeout(resolve, delayMs * attempt));
      }
    }
  };
}

/**
 * The raw-mail store as the local SMTP server uses it: a stored message is also listed for the
 * sweep before the 250 answer (local mail is trusted: PASS verdicts, as the SMTP adapter sends).
 */
export function durableRawMail(deps: Deps): BlobStore {
  const PASS = { spf: 'PASS', dkim: 'PASS', dmarc: 'PASS', spam: 'PASS', virus: 'PASS' } as const;
  return {
    ...deps.rawMail,
    async put(options) {
      await deps.rawMail.put(options);
      const ttl = Math.floor(deps.clock.now().getTime() / 1000) + deps.settings.retentionDays * 86_400;
      await recordInboundReceived({
        store: deps.store,
        clock: deps.clock,
        messageId: options.key,
        verdicts: PASS,
        ttl,
      });
    },
  };
}

export type ResumeUnfinishedWorkOptions = { deps: Deps; log: (line: string) => void };

/** Resumes, at start, what a killed process left unfinished. */
export async function resumeUnfinishedWork({ deps, log }: ResumeUnfinishedWorkOptions): Promise<void> {
  const intakes = await resumeStaleIntakes({ deps, ignoreLeases: true });
  if (intakes.length > 0) log(`Resumed ${intakes.length} unfinished intake(s)`);
  const signatures = await sweepPendingSignatures({ deps, ignoreAge: true });
  if (signatures > 0) log(`Completed the effects of ${signatures} signature(s)`);
  const finalizations = await resumeFinalizations({ deps, noLiveRun: true });
  if (finalizations.length > 0) log(`Restarted ${finalizations.length} unfinished finalization(s)`);
}
