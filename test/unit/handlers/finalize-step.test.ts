// Step errors are named for the state machine: infrastructure hiccups become TransientError
// (retried), domain errors carry their code, anything else is StepFailed (caught); the cause stays.
import { describe, expect, it } from 'vitest';
import { SealingError } from '../../../lambdas/adapters/aws/kms-digest-signer.ts';
import { DomainError } from '../../../lambdas/core/errors.ts';
import { FinalizeStepError } from '../../../lambdas/core/finalize/finalize-errors.ts';
import { nameStepError } from '../../../lambdas/handlers/finalize-step.ts';

const sdkError = (name: string, status: number, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status }, ...extra });

describe('nameStepError', () => {
  it('names KMS throttling a TransientError', () => {
    expect(nameStepError(sdkError('ThrottlingException', 400)).name).toBe('TransientError');
  });

  it('names an S3 5xx a TransientError', () => {
    expect(nameStepError(sdkError('InternalError', 500)).name).toBe('TransientError');
  });

  it('names an SDK error with the retryable trait a TransientError', () => {
    expect(nameStepError(sdkError('SomethingNew', 400, { $retryable: {} })).name).toBe('TransientError');
  });

  it('names a network reset a TransientError', () => {
    expect(nameStepError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })).name).toBe(
      'TransientError',
    );
  });

  it('names an adapter error marked transient a TransientError and keeps it as the cause', () => {
    const sealing = new SealingError({ code: 'UNAVAILABLE', transient: true, message: 'KMS busy' });
    const named = nameStepError(sealing);
    expect(named).toMatchObject({ name: 'TransientError', message: 'KMS busy' });
    expect(named.cause).toBe(sealing);
  });

  it('names a domain error by its code', () => {
    expect(nameStepError(new DomainError({ code: 'PLACEMENT_INVALID', message: 'outside the page' })).name).toBe(
      'PLACEMENT_INVALID',
    );
  });

  it('keeps a step error as it is', () => {
    const step = new FinalizeStepError({ name: 'EnvelopeNotFound', message: 'No envelope e-1' });
    expect(nameStepError(step)).toBe(step);
  });

  it('names a permanent error StepFailed, with its own name in the message', () => {
    const disabled = sdkError('DisabledException', 400);
    const named = nameStepError(disabled);
    expect(named).toMatchObject({ name: 'StepFailed', message: 'DisabledException: DisabledException' });
    expect(named.cause).toBe(disabled);
  });
});
