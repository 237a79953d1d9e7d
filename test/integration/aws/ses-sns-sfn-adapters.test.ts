// The SES Mailer, SNS SmsSender and Step Functions Workflow with the real SDK clients against
// aws-sdk-client-mock: request shapes, throttling and error mapping.
import { MessageRejected, SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import {
  ExecutionAlreadyExists,
  SFNClient,
  StartExecutionCommand,
  StateMachineDoesNotExist,
} from '@aws-sdk/client-sfn';
import { InvalidParameterException, PublishCommand, SNSClient, ThrottledException } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { createSesMailer, MailTooLargeError, SES_MAX_RAW_BYTES } from '../../../lambdas/adapters/aws/ses-mailer.ts';
import { createSfnWorkflow } from '../../../lambdas/adapters/aws/sfn-workflow.ts';
import { createSnsSmsSender } from '../../../lambdas/adapters/aws/sns-sms-sender.ts';

const throttling = (name: string) =>
  Object.assign(new Error('Rate exceeded'), { name, $fault: 'client', $metadata: { httpStatusCode: 400 } });

describe('SES mailer', () => {
  const ses = mockClient(SESv2Client);
  afterEach(() => ses.reset());
  // maxAttempts 1: the SDK's own retries are not what is under test.
  const mailer = createSesMailer({ client: new SESv2Client({ region: 'eu-west-1', maxAttempts: 1 }) });
  const raw = new TextEncoder().encode('From: a@x.test\r\nTo: b@y.test\r\nSubject: hi\r\n\r\nbody');

  it('sends the raw bytes (SES v2) with FromEmailAddress = from and the destination = to', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-1' });
    await expect(mailer.send({ from: 'sign@x.test', to: ['b@y.test', 'c@y.test'], raw })).resolves.toEqual({
      messageId: 'ses-1',
    });
    const input = ses.commandCalls(SendEmailCommand)[0]?.args[0].input;
    expect(input?.FromEmailAddress).toBe('sign@x.test');
    expect(input?.Destination).toEqual({ ToAddresses: ['b@y.test', 'c@y.test'] });
    expect(Buffer.from(input?.Content?.Raw?.Data ?? []).equals(Buffer.from(raw))).toBe(true);
  });

  it('refuses a message over 40 MB before calling SES', async () => {
    const big = new Uint8Array(SES_MAX_RAW_BYTES + 1);
    const error = await mailer
      .send({ from: 'sign@x.test', to: ['b@y.test'], raw: big })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MailTooLargeError);
    expect(error).toMatchObject({
      name: 'MailTooLargeError',
      sizeBytes: SES_MAX_RAW_BYTES + 1,
      limitBytes: SES_MAX_RAW_BYTES,
    });
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(0);
  });

  it('refuses a message in parts over 40 MB, counting every part, before calling SES', async () => {
    const megabyte = new Uint8Array(1024 * 1024);
    const parts = Array.from({ length: SES_MAX_RAW_BYTES / megabyte.byteLength }, () => megabyte);
    const error = await mailer
      .send({ from: 'sign@x.test', to: ['b@y.test'], parts: [...parts, new Uint8Array(1)] })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'MailTooLargeError', sizeBytes: SES_MAX_RAW_BYTES + 1 });
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(0);
  });

  it('maps MessageRejected to a permanent error with its cause', async () => {
    const rejected = new MessageRejected({ message: 'Email address is not verified.', $metadata: {} });
    ses.on(SendEmailCommand).rejects(rejected);
    const error = await mailer.send({ from: 'sign@x.test', to: ['b@y.test'], raw }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'MailSendError', code: 'MESSAGE_REJECTED', transient: false });
    expect((error as Error).cause).toBe(rejected);
  });

  it('maps throttling and server faults to a transient error', async () => {
    ses.on(SendEmailCommand).rejects(throttling('Throttling'));
    await expect(mailer.send({ from: 'sign@x.test', to: ['b@y.test'], raw })).rejects.toMatchObject({
      name: 'MailSendError',
      transient: true,
      code: 'THROTTLED',
    });
    ses
      .on(SendEmailCommand)
      .rejects(Object.assign(new Error('oops'), { name: 'InternalFailure', $metadata: { httpStatusCode: 500 } }));
    await expect(mailer.send({ from: 'sign@x.test', to: ['b@y.test'], raw })).rejects.toMatchObject({
      name: 'MailSendError',
      transient: true,
      code: 'UNAVAILABLE',
    });
  });

  it('refuses a mail without recipients', async () => {
    await expect(mailer.send({ from: 'sign@x.test', to: [], raw })).rejects.toMatchObject({ code: 'MESSAGE_REJECTED' });
  });
});

describe('SNS SMS sender', () => {
  const sns = mockClient(SNSClient);
  afterEach(() => sns.reset());
  const client = new SNSClient({ region: 'eu-west-1', maxAttempts: 1 });

  it('publishes a Transactional SMS with the sender ID', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'sms-1' });
    const sender = createSnsSmsSender({ client, senderId: 'MailSign' });
    await expect(sender.send({ to: '+33612345678', body: 'Code 123456' })).resolves.toEqual({ messageId: 'sms-1' });
    const input = sns.commandCalls(PublishCommand)[0]?.args[0].input;
    expect(input?.PhoneNumber).toBe('+33612345678');
    expect(input?.Message).toBe('Code 123456');
    expect(input?.MessageAttributes?.['AWS.SNS.SMS.SMSType']?.StringValue).toBe('Transactional');
    expect(input?.MessageAttributes?.['AWS.SNS.SMS.SenderID']?.StringValue).toBe('MailSign');
  });

  it('omits the sender ID when none is configured and rejects malformed ones at start-up', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'sms-2' });
    await createSnsSmsSender({ client, senderId: '' }).send({ to: '+33612345678', body: 'x' });
    expect(
      sns.commandCalls(PublishCommand)[0]?.args[0].input.MessageAttributes?.['AWS.SNS.SMS.SenderID'],
    ).toBeUndefined();
    expect(() => createSnsSmsSender({ client, senderId: 'far-too-long-id' })).toThrow(/sender ID/);
  });

  it('maps throttling to a transient error and bad numbers to a permanent one without echoing the number', async () => {
    const sender = createSnsSmsSender({ client, senderId: 'mailsign' });
    sns.on(PublishCommand).rejects(new ThrottledException({ message: 'Rate exceeded', $metadata: {} }));
    await expect(sender.send({ to: '+33612345678', body: 'x' })).rejects.toMatchObject({
      name: 'SmsSendError',
      transient: true,
      code: 'THROTTLED',
    });
    sns
      .on(PublishCommand)
      .rejects(
        new InvalidParameterException({ message: 'Invalid parameter: PhoneNumber +33612345678', $metadata: {} }),
      );
    const error = await sender.send({ to: '+33612345678', body: 'x' }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'SmsSendError', code: 'INVALID_NUMBER' });
    expect((error as Error).message).not.toContain('+3361');
  });
});

describe('Step Functions workflow', () => {
  const sfn = mockClient(SFNClient);
  afterEach(() => sfn.reset());
  const arn = 'arn:aws:states:eu-west-1:123456789012:stateMachine:finalize';
  const workflow = createSfnWorkflow({
    client: new SFNClient({ region: 'eu-west-1', maxAttempts: 1 }),
    stateMachineArn: arn,
  });

  it('starts one execution named after the envelope with ids only as input', async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: `${arn}:env-1`, startDate: new Date() });
    await workflow.startFinalization({ envelopeId: 'env-1' });
    const input = sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input;
    expect(input).toEqual({ stateMachineArn: arn, name: 'env-1', input: JSON.stringify({ envelopeId: 'env-1' }) });
  });

  it("names an operator's retry after its attempt, so it is not taken for the failed run", async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: `${arn}:env-1-attempt-2`, startDate: new Date() });
    await workflow.startFinalization({ envelopeId: 'env-1', attempt: 2 });
    expect(sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input.name).toBe('env-1-attempt-2');
  });

  it('treats ExecutionAlreadyExists as success (exactly once)', async () => {
    sfn
      .on(StartExecutionCommand)
      .rejects(new ExecutionAlreadyExists({ message: 'Execution Already Exists', $metadata: {} }));
    await expect(workflow.startFinalization({ envelopeId: 'env-1' })).resolves.toBeUndefined();
  });

  it('maps throttling to a transient error and a missing state machine to a permanent one', async () => {
    sfn.on(StartExecutionCommand).rejects(throttling('ThrottlingException'));
    await expect(workflow.startFinalization({ envelopeId: 'env-1' })).rejects.toMatchObject({
      name: 'WorkflowStartError',
      transient: true,
    });
    sfn.on(StartExecutionCommand).rejects(new StateMachineDoesNotExist({ message: 'gone', $metadata: {} }));
    await expect(workflow.startFinalization({ envelopeId: 'env-1' })).rejects.toMatchObject({
      name: 'WorkflowStartError',
      code: 'NOT_FOUND',
    });
  });
});
