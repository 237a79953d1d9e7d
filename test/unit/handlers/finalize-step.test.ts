// Step errors are named for the state machine: infrastructure hiccups become TransientError
// (retried), domain errors carry their code, anything else keeps its own name (caught).
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../../lambdas/core/errors.ts';
import { nameStepError } from '../../../lambdas/handlers/finalize-step.ts';

describe('nameStepError', () => {
  it('names KMS throttling a TransientError', () => {
    expect(nameStepError(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' })).name).toBe(
      'TransientError',
    );
  });

  it('names an S3 5xx a TransientError', () => {
    expect(
      nameStepError(Object.assign(new Error('oops'), { name: 'InternalError', $metadata: { httpStatusCode: 500 } }))
        .name,
    ).toBe('TransientError');
  });

  it('names a domain error by its code', () => {
    expect(nameStepError(new DomainError({ code: 'PLACEMENT_INVALID', message: 'outside the page' })).name).toBe(
      'PLACEMENT_INVALID',
    );
  });

  it('keeps the name of a permanent error', () => {
    expect(
      nameStepError(
        Object.assign(new Error('key disabled'), { name: 'DisabledException', $metadata: { httpStatusCode: 400 } }),
      ).name,
    ).toBe('DisabledException');
  });
});
