// Powertools in the AWS handlers: one structured line per invocation, EMF metrics for outcomes,
// and nothing personal in what is written.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  observeHandler,
  observeStep,
  reportChargeState,
  reportIntakeOutcomes,
  reportReaderFallback,
  reportSigningApi,
} from '../../../lambdas/runtime/aws/observability.ts';

let written: string[];

beforeEach(() => {
  written = [];
  const capture = (chunk: unknown) => {
    written.push(String(chunk));
    return true;
  };
  vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  vi.spyOn(process.stderr, 'write').mockImplementation(capture);
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const)
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void written.push(args.map(String).join(' ')));
});
afterEach(() => vi.restoreAllMocks());

/** The EMF records written: metric name -> {value, dimensions}. */
function emfMetrics(): Array<{ name: string; value: unknown; record: Record<string, unknown> }> {
  const found: Array<{ name: string; value: unknown; record: Record<string, unknown> }> = [];
  for (const line of written.join('\n').split('\n')) {
    if (!line.includes('"_aws"')) continue;
    const record = JSON.parse(line) as Record<string, unknown> & {
      _aws: { CloudWatchMetrics: Array<{ Metrics: Array<{ Name: string }> }> };
    };
    for (const directive of record._aws.CloudWatchMetrics)
      for (const metric of directive.Metrics) found.push({ name: metric.Name, value: record[metric.Name], record });
  }
  return found;
}

const httpEvent = (method: string, rawPath: string) => ({ requestContext: { http: { method } }, rawPath });

describe('AWS observability', () => {
  it('counts SMS codes sent, verified and refused by code, and signatures', async () => {
    reportSigningApi({ event: httpEvent('POST', '/api/signing/otp'), result: { statusCode: 202 } });
    reportSigningApi({ event: httpEvent('POST', '/api/signing/otp/verify'), result: { statusCode: 200 } });
    reportSigningApi({
      event: httpEvent('POST', '/api/signing/otp/verify'),
      result: { statusCode: 422, body: JSON.stringify({ code: 'OTP_INVALID', attemptsLeft: 4 }) },
    });
    reportSigningApi({ event: httpEvent('POST', '/api/signing/signature'), result: { statusCode: 200 } });
    reportChargeState('pending');
    await observeHandler('test', async () => 'done')({});

    const metrics = emfMetrics();
    expect(metrics.map((m) => m.name).sort()).toEqual(
      ['ChargesPending', 'OtpFailed', 'OtpSent', 'OtpVerified', 'Signatures'].sort(),
    );
    expect(metrics.find((m) => m.name === 'OtpFailed')?.record.code).toBe('OTP_INVALID');
  });

  it('counts intake outcomes by status and code', async () => {
    await observeHandler(
      'intake',
      async () => ({
        outcomes: [
          { status: 'accepted', envelopeId: 'env-1' },
          { status: 'refused', code: 'PDF_ENCRYPTED' },
        ],
      }),
      (result) => reportIntakeOutcomes(result.outcomes),
    )({});

    const outcomes = emfMetrics().filter((m) => m.name === 'IntakeOutcome');
    expect(outcomes.map((m) => [m.record.status, m.record.code])).toEqual([
      ['accepted', 'accepted'],
      ['refused', 'PDF_ENCRYPTED'],
    ]);
  });

  it('times each step and counts completed and failed finalizations', async () => {
    await observeStep('Complete', async () => ({}))({});
    await observeStep('NotifyFailure', async () => ({}))({});

    const names = emfMetrics().map((m) => m.name);
    expect(names).toContain('FinalizationCompleted');
    expect(names).toContain('FinalizationFailures');
    expect(emfMetrics().filter((m) => m.name === 'FinalizationStepDuration')).toHaveLength(2);
  });

  it('logs the lazy reader fallback with its reason and counts it', async () => {
    await observeHandler('finalize-Assemble', async () => {
      reportReaderFallback({ envelopeId: 'env-1', documentId: 'doc-1', reason: 'PDF_INVALID (LazyLoadError: x)' });
    })({});

    const line = written.find((w) => w.includes('pdf.lazy-reader-fallback'));
    expect(JSON.parse(line!)).toMatchObject({
      level: 'WARN',
      message: 'pdf.lazy-reader-fallback',
      envelopeId: 'env-1',
      reason: 'PDF_INVALID (LazyLoadError: x)',
    });
    expect(emfMetrics().map((m) => m.name)).toContain('LazyReaderFallbacks');
  });

  it('logs a failed invocation with the error name and code, not its message', async () => {
    const failing = observeHandler('signing-api', async () => {
      throw Object.assign(new Error('jeanne@example.fr +33612345678'), { name: 'DomainError', code: 'PHONE_INVALID' });
    });

    await expect(failing({})).rejects.toThrow();

    const line = written.find((w) => w.includes('invocation failed'));
    expect(JSON.parse(line!)).toMatchObject({
      function: 'signing-api',
      errorName: 'DomainError',
      code: 'PHONE_INVALID',
    });
    expect(written.join('\n')).not.toMatch(/jeanne|33612345678/);
  });
});
