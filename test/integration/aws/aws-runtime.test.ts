// The AWS composition root: settings mapping, client reuse, and which adapters it wires.
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../lambdas/config.ts';
import { createAwsDeps, toServiceSettings } from '../../../lambdas/runtime/aws.ts';

const env = {
  MAILSIGN_PUBLIC_URL: 'https://sign.example.com/',
  MAILSIGN_SERVICE_ADDRESS: 'Sign@Example.com',
  MAILSIGN_INBOUND_ADDRESSES: 'sign@in.example.com',
  MAILSIGN_CUSTOMER_DOMAINS: 'example.com',
  MAILSIGN_TABLE: 'table',
  MAILSIGN_RAW_BUCKET: 'raw',
  MAILSIGN_DOCUMENTS_BUCKET: 'docs',
  MAILSIGN_STATE_MACHINE_ARN: 'arn:aws:states:eu-west-1:123456789012:stateMachine:finalize',
  AWS_REGION: 'eu-west-1',
};

describe('AWS composition root', () => {
  afterEach(() => {
    mockClient(S3Client).restore();
    mockClient(SFNClient).restore();
  });

  it('maps the configuration to the service settings', () => {
    expect(toServiceSettings(loadConfig(env))).toEqual({
      publicUrl: 'https://sign.example.com',
      serviceAddress: 'sign@example.com',
      serviceName: 'mailsign',
      inboundAddresses: ['sign@in.example.com'],
      customerDomains: ['example.com'],
      linkTtlDays: 30,
      remindAfterDays: 3,
      retentionDays: 365,
      closedAccountGraceDays: 30,
    });
  });

  it('builds the deps once per configuration and reads raw mail under the SES prefix', async () => {
    const config = loadConfig(env);
    const deps = createAwsDeps(config);
    expect(createAwsDeps(config)).toBe(deps);
    const s3 = mockClient(S3Client);
    s3.on(GetObjectCommand).rejects(Object.assign(new Error('missing'), { name: 'NoSuchKey' }));
    await deps.rawMail.get('message-id');
    expect(s3.commandCalls(GetObjectCommand)[0]?.args[0].input).toMatchObject({
      Bucket: 'raw',
      Key: 'inbound/message-id',
    });
    expect(deps.random.bytes(16)).toHaveLength(16);
    expect(Math.abs(deps.clock.now().getTime() - Date.now())).toBeLessThan(1000);
  });

  it('starts finalization through Step Functions and explains a missing seal key', async () => {
    const deps = createAwsDeps(loadConfig(env));
    const sfn = mockClient(SFNClient);
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'x', startDate: new Date() });
    await deps.workflow.startFinalization({ envelopeId: 'env-9' });
    expect(sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input.name).toBe('env-9');
    await expect(deps.digestSigner.certificateChain()).rejects.toThrow(/MAILSIGN_SEAL_KEY_ID/);
  });
});
