// SmsSender on Amazon SNS: direct Publish to a phone number, Transactional (one-time codes must
// not be dropped for cost), with the configured alphanumeric sender ID where the country allows it.
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { ConfigError } from '../../core/errors.ts';
import type { OutgoingSms, SmsSender } from '../../core/ports.ts';
import { AwsAdapterError, type AwsAdapterErrorOptions, transientAdapterError } from './aws-adapter-error.ts';

export type SmsSendErrorCode = 'INVALID_NUMBER' | 'NOT_ALLOWED' | 'THROTTLED' | 'UNAVAILABLE' | 'UNKNOWN';

/** SNS refused or failed the send; `transient` when a retry may succeed. */
export class SmsSendError extends AwsAdapterError<SmsSendErrorCode> {
  constructor(options: AwsAdapterErrorOptions<SmsSendErrorCode>) {
    super('SmsSendError', options);
  }
}

export type SnsSmsSenderOptions = {
  client: SNSClient;
  /** 1-11 characters, letters and digits, at least one letter; empty: no sender ID. */
  senderId?: string;
};

const SENDER_ID = /^(?=.*[A-Za-z])[A-Za-z0-9]{1,11}$/;

export function createSnsSmsSender(options: SnsSmsSenderOptions): SmsSender {
  const senderId = options.senderId?.trim();
  if (senderId && !SENDER_ID.test(senderId)) {
    // Fail at start-up rather than on the first code a signer waits for.
    throw new ConfigError(`Invalid SMS sender ID "${senderId}": 1-11 letters or digits, at least one letter.`);
  }
  return {
    async send(sms: OutgoingSms) {
      try {
        const result = await options.client.send(
          new PublishCommand({
            PhoneNumber: sms.to,
            Message: sms.body,
            MessageAttributes: {
              'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
              ...(senderId ? { 'AWS.SNS.SMS.SenderID': { DataType: 'String', StringValue: senderId } } : {}),
            },
          }),
        );
        return { messageId: result.MessageId ?? '' };
      } catch (error) {
        throw mapSnsError(error);
      }
    },
  };
}

function mapSnsError(error: unknown): SmsSendError {
  const name = error instanceof Error ? error.name : 'UnknownError';
  // The message may echo the phone number: never copy it into our error text (logs).
  if (name === 'InvalidParameterException' || name === 'InvalidParameterValueException') {
    return new SmsSendError({
      code: 'INVALID_NUMBER',
      transient: false,
      message: `SNS refused the SMS parameters (${name}).`,
      cause: error,
    });
  }
  if (
    name === 'AuthorizationErrorException' ||
    name === 'OptedOutException' ||
    name === 'FilterPolicyLimitExceededException'
  ) {
    return new SmsSendError({
      code: 'NOT_ALLOWED',
      transient: false,
      message: `SNS did not allow the SMS (${name}).`,
      cause: error,
    });
  }
  const transient = transientAdapterError({ error, create: (o) => new SmsSendError(o), service: 'SNS' });
  if (transient) return transient;
  return new SmsSendError({
    code: 'UNKNOWN',
    transient: false,
    message: `SNS publish failed (${name}).`,
    cause: error,
  });
}
