// One hierarchy: every error we throw is a MailsignError with a name from the closed union and its cause.
import { describe, expect, it } from 'vitest';
import { SealingError } from '../../../lambdas/adapters/aws/kms-digest-signer.ts';
import { MailTooLargeError } from '../../../lambdas/adapters/aws/ses-mailer.ts';
import { ConfigError } from '../../../lambdas/config.ts';
import { ConditionFailedError, DomainError, MailsignError, RecordInvalidError } from '../../../lambdas/core/errors.ts';
import { FinalizeStepError } from '../../../lambdas/core/finalize/finalize-errors.ts';

const cause = new Error('underneath');

describe('the error hierarchy', () => {
  it.each([
    [new DomainError({ code: 'PDF_INVALID', message: 'bad', cause }), 'DomainError'],
    [new ConditionFailedError('lost', { cause }), 'ConditionFailedError'],
    [new RecordInvalidError({ record: 'account', message: 'no status', cause }), 'RecordInvalidError'],
    [new ConfigError('missing', { cause }), 'ConfigError'],
    [new SealingError({ code: 'THROTTLED', transient: true, message: 'busy', cause }), 'SealingError'],
    [new FinalizeStepError({ name: 'EnvelopeNotFound', message: 'gone', cause }), 'EnvelopeNotFound'],
  ])('%s is a MailsignError named %s that keeps its cause', (error, name) => {
    expect(error).toBeInstanceOf(MailsignError);
    expect(error.name).toBe(name);
    expect(error.cause).toBe(cause);
  });

  it('keeps the name of an adapter error whether or not a retry may help', () => {
    expect(new SealingError({ code: 'THROTTLED', transient: true, message: 'busy' }).name).toBe('SealingError');
    expect(new SealingError({ code: 'KEY_NOT_USABLE', transient: false, message: 'off' }).name).toBe('SealingError');
  });

  it('names the record, never its key, in a record error', () => {
    expect(new RecordInvalidError({ record: 'account', message: 'status is missing' }).message).toBe(
      'Stored account record is invalid: status is missing',
    );
  });

  it('gives a too-large mail its sizes', () => {
    expect(new MailTooLargeError({ sizeBytes: 11, limitBytes: 10 })).toMatchObject({
      name: 'MailTooLargeError',
      sizeBytes: 11,
      limitBytes: 10,
    });
  });
});
