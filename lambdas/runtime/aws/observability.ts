// Powertools Logger and Metrics for the AWS handlers (structured JSON, EMF metrics). Only ids,
// codes, counts and durations are recorded: never addresses, phone numbers, tokens or codes.
// The domain knows nothing of this: handlers report what use cases return (outcomes, states),
// and the lazy PDF reader's fallback reaches us through the onReaderFallback callback.
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

const SERVICE = 'mailsign';
export const METRICS_NAMESPACE = 'mailsign';

export const logger = new Logger({ serviceName: SERVICE });
export const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE });

/** The service's metrics (CloudWatch names; the alarms in lib/constructs/monitoring.ts use them). */
export type MetricName =
  | 'IntakeOutcome'
  | 'OtpSent'
  | 'OtpVerified'
  | 'OtpFailed'
  | 'Signatures'
  | 'ChargesPending'
  | 'ChargesDecided'
  | 'ChargesSettledLate'
  | 'ChargesPendingLeft'
  | 'FinalizationCompleted'
  | 'FinalizationFailures'
  | 'FinalizationStepDuration'
  | 'LazyReaderFallbacks';

/** Adds one to a metric; dimensions (a code, a step) go out as their own EMF record. */
export function countMetric(name: MetricName, dimensions: Record<string, string> = {}): void {
  const entries = Object.entries(dimensions);
  if (entries.length === 0) {
    metrics.addMetric(name, MetricUnit.Count, 1);
    return;
  }
  const single = metrics.singleMetric();
  for (const [key, value] of entries) single.addDimension(key, value);
  single.addMetric(name, MetricUnit.Count, 1);
}

export function recordDuration(name: MetricName, ms: number, dimensions: Record<string, string>): void {
  const single = metrics.singleMetric();
  for (const [key, value] of Object.entries(dimensions)) single.addDimension(key, value);
  single.addMetric(name, MetricUnit.Milliseconds, ms);
}

/** What may be logged of an error: its name and domain code, not its message (it may quote input). */
export function describeError(error: unknown): { errorName: string; code?: string } {
  if (!(error instanceof Error)) return { errorName: typeof error };
  const code = (error as { code?: unknown }).code;
  return { errorName: error.name, ...(typeof code === 'string' ? { code } : {}) };
}

/** Logs the lazy PDF reader's fallback to pdf-lib's full parse, with its reason, and counts it. */
export function reportReaderFallback(context: { envelopeId: string; documentId: string; reason: string }): void {
  logger.warn('pdf.lazy-reader-fallback', context);
  countMetric('LazyReaderFallbacks');
}

/**
 * Wraps a Lambda handler: one structured line per invocation (name, duration, outcome), the
 * caller's report of the result as metrics, and the stored metrics flushed at the end.
 */
export function observeHandler<E, R>(
  name: string,
  handler: (event: E) => Promise<R>,
  report: (result: R, event: E) => void = () => undefined,
): (event: E) => Promise<R> {
  return async (event) => {
    const started = performance.now();
    try {
      const result = await handler(event);
      report(result, event);
      logger.info('invocation', { function: name, ms: Math.round(performance.now() - started) });
      return result;
    } catch (error) {
      logger.error('invocation failed', {
        function: name,
        ms: Math.round(performance.now() - started),
        ...describeError(error),
      });
      throw error;
    } finally {
      // Only when something was counted: an empty flush logs a warning on every invocation.
      if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
    }
  };
}

export type FinalizeStepName = 'Prepare' | 'Assemble' | 'Certify' | 'Deliver' | 'Complete' | 'NotifyFailure';

/** A state machine step: its duration by step; Complete counts a finalization, NotifyFailure a failure. */
export function observeStep<I, O>(name: FinalizeStepName, step: (input: I) => Promise<O>): (input: I) => Promise<O> {
  return observeHandler(`finalize-${name}`, async (input: I) => {
    const started = performance.now();
    const output = await step(input);
    recordDuration('FinalizationStepDuration', performance.now() - started, { step: name });
    if (name === 'Complete') countMetric('FinalizationCompleted');
    if (name === 'NotifyFailure') countMetric('FinalizationFailures');
    return output;
  });
}

type HttpExchange = {
  event: { requestContext: { http: { method: string } }; rawPath: string };
  result: { statusCode: number; body?: string };
};

function problemCode(body: string | undefined): string | undefined {
  if (!body?.includes('"code"')) return undefined;
  try {
    const code = (JSON.parse(body) as { code?: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  } catch {
    return undefined;
  }
}

/** Signing API metrics from the answer: SMS codes sent, verified or refused, signatures recorded. */
export function reportSigningApi({ event, result }: HttpExchange): void {
  const route = `${event.requestContext.http.method} ${event.rawPath}`;
  const ok = result.statusCode < 300;
  if (route === 'POST /api/signing/otp' && ok) countMetric('OtpSent');
  else if (route === 'POST /api/signing/otp/verify')
    ok ? countMetric('OtpVerified') : countMetric('OtpFailed', { code: problemCode(result.body) ?? 'UNKNOWN' });
  else if (route === 'POST /api/signing/signature' && ok) countMetric('Signatures');
}

/** After a signature: the charge is decided, or still pending (an operator settles it). */
export function reportChargeState(state: string): void {
  countMetric(state === 'decided' ? 'ChargesDecided' : 'ChargesPending');
}

/** Charges the daily job found pending for too long and could not settle: an operator looks. */
export function reportRetention(report: { pendingChargesSettled: number; pendingChargesLeft: number }): void {
  metrics.addMetric('ChargesSettledLate', MetricUnit.Count, report.pendingChargesSettled);
  metrics.addMetric('ChargesPendingLeft', MetricUnit.Count, report.pendingChargesLeft);
}

/** One IntakeOutcome per message, by status and code (accepted, refused: PDF_ENCRYPTED, ...). */
export function reportIntakeOutcomes(outcomes: Array<{ status: string; code?: string; reason?: string }>): void {
  for (const outcome of outcomes)
    countMetric('IntakeOutcome', { status: outcome.status, code: outcome.code ?? outcome.reason ?? outcome.status });
}
