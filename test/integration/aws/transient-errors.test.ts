// The one transient classification: the SDK's own rules, for every AWS adapter and the step wrapper.
import { KMSInternalException } from '@aws-sdk/client-kms';
import { ThrottledException } from '@aws-sdk/client-sns';
import { describe, expect, it } from 'vitest';
import { classifyTransientAwsError } from '../../../lambdas/adapters/aws/transient-errors.ts';

const sdkError = (name: string, status?: number) =>
  Object.assign(new Error(name), { name, $metadata: status === undefined ? {} : { httpStatusCode: status } });

describe('classifyTransientAwsError', () => {
  it.each([
    ['ThrottlingException', 400],
    ['Throttling', 400],
    ['ThrottledException', 400],
    ['TooManyRequestsException', 400],
    ['ProvisionedThroughputExceededException', 400],
    ['SlowDown', 503],
    ['AnythingAt429', 429],
  ])('calls %s (%i) THROTTLED', (name, status) => {
    expect(classifyTransientAwsError(sdkError(name, status))).toBe('THROTTLED');
  });

  it.each([
    ['KMSInternalException', 500],
    ['InternalFailure', 500],
    ['ServiceUnavailable', 503],
    ['DependencyTimeoutException', 503],
    ['BadGateway', 502],
    ['OddServerFault', 501],
    ['TimeoutError', undefined],
    ['RequestTimeout', 400],
  ])('calls %s (%s) UNAVAILABLE', (name, status) => {
    expect(classifyTransientAwsError(sdkError(name, status))).toBe('UNAVAILABLE');
  });

  it('follows the SDK error classes themselves', () => {
    expect(classifyTransientAwsError(new ThrottledException({ message: 'slow', $metadata: {} }))).toBe('THROTTLED');
    // The SDK's deserializer records the HTTP status; a 500 is what makes it a server fault.
    const internal = new KMSInternalException({ message: 'internal', $metadata: { httpStatusCode: 500 } });
    expect(classifyTransientAwsError(internal)).toBe('UNAVAILABLE');
  });

  it('calls network resets UNAVAILABLE', () => {
    expect(classifyTransientAwsError(Object.assign(new Error('reset'), { code: 'ECONNRESET' }))).toBe('UNAVAILABLE');
  });

  it.each([
    ['NotFoundException', 400],
    ['AccessDeniedException', 403],
    ['MessageRejected', 400],
    ['ValidationException', 400],
  ])('leaves %s (%i) permanent', (name, status) => {
    expect(classifyTransientAwsError(sdkError(name, status))).toBeUndefined();
  });

  it('leaves non-errors and aborts permanent', () => {
    expect(classifyTransientAwsError('boom')).toBeUndefined();
    expect(classifyTransientAwsError(undefined)).toBeUndefined();
    expect(classifyTransientAwsError(sdkError('AbortError'))).toBeUndefined();
  });
});
