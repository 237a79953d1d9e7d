// CDK assertions on the synthesized stacks (one synth for the file, cdk-nag AwsSolutions on):
// the properties the product relies on, and that nothing unacknowledged is left by cdk-nag.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Annotations, Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { FINALIZE_ASL_PATH } from '../../lib/constructs/finalize-workflow.ts';
import { ACCESS_LOG_FIELDS } from '../../lib/constructs/http-api.ts';
import { synthMailsign, type SynthResult } from './synth-helpers.ts';

type Resource = { Type: string; Properties: Record<string, unknown>; DeletionPolicy?: string };

let synth: SynthResult;
let data: Template;
let service: Template;

function resourcesOf(template: Template, type: string): Array<[string, Resource]> {
  return Object.entries(template.findResources(type)) as Array<[string, Resource]>;
}

function functionIdFor(description: string): string {
  const match = resourcesOf(service, 'AWS::Lambda::Function').find(([, fn]) =>
    String(fn.Properties.Description ?? '').startsWith(description),
  );
  if (!match) throw new Error(`no function described "${description}"`);
  return match[0];
}

function policyStatementsOf(
  functionId: string,
): Array<{ Action: string | string[]; Resource?: unknown; NotResource?: unknown; Condition?: unknown }> {
  const fn = service.toJSON().Resources[functionId] as Resource;
  const roleId = (fn.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
  return resourcesOf(service, 'AWS::IAM::Policy')
    .filter(([, policy]) => JSON.stringify(policy.Properties.Roles).includes(`"${roleId}"`))
    .flatMap(([, policy]) => (policy.Properties.PolicyDocument as { Statement: [] }).Statement);
}

function actionsOf(functionId: string): string[] {
  return policyStatementsOf(functionId).flatMap((statement) => ([] as string[]).concat(statement.Action));
}

beforeAll(() => {
  // Throws (ValidationFailed) when cdk-nag reports any unacknowledged finding.
  synth = synthMailsign();
  data = synth.dataTemplate;
  service = synth.serviceTemplate;
});

describe('synthesis', () => {
  it('leaves no unacknowledged warning (a missing web build is the only expected one)', () => {
    for (const stack of [synth.data, synth.service]) {
      const warnings = Annotations.fromStack(stack)
        .findWarning('*', Match.anyValue())
        .map((warning) => String(warning.entry.data))
        .filter((text) => !text.includes('mailsign:web-not-built'));
      expect(warnings).toEqual([]);
    }
  });
});

describe('stateful stack (data survives redeploys)', () => {
  it('keeps table, buckets and keys with RETAIN', () => {
    for (const type of ['AWS::DynamoDB::Table', 'AWS::S3::Bucket', 'AWS::KMS::Key']) {
      const found = resourcesOf(data, type);
      expect(found.length).toBeGreaterThan(0);
      for (const [, resource] of found) expect(resource.DeletionPolicy).toBe('Retain');
    }
    expect(Object.keys(service.findResources('AWS::DynamoDB::Table'))).toHaveLength(0);
  });

  it('has one on-demand pk/sk table with PITR, TTL on "ttl" and KMS encryption', () => {
    data.resourceCountIs('AWS::DynamoDB::Table', 1);
    data.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: Match.arrayWith([
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ]),
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: Match.anyValue() },
    });
  });

  it('creates an RSA_3072 SIGN_VERIFY sealing key and a rotating data key', () => {
    data.hasResourceProperties('AWS::KMS::Key', { KeySpec: 'RSA_3072', KeyUsage: 'SIGN_VERIFY' });
    data.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    data.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/mailsign-seal' });
  });

  it('encrypts, versions and blocks public access on every bucket, TLS only', () => {
    for (const template of [data, service]) {
      const buckets = resourcesOf(template, 'AWS::S3::Bucket');
      for (const [id, bucket] of buckets) {
        expect(bucket.Properties.BucketEncryption, id).toBeDefined();
        expect(bucket.Properties.PublicAccessBlockConfiguration, id).toEqual({
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        });
        expect(bucket.Properties.VersioningConfiguration, id).toEqual({ Status: 'Enabled' });
        expect(bucket.Properties.LifecycleConfiguration, id).toBeDefined();
      }
      const policies = resourcesOf(template, 'AWS::S3::BucketPolicy');
      expect(policies.length).toBe(buckets.length);
      for (const [, policy] of policies) {
        expect(JSON.stringify(policy.Properties.PolicyDocument)).toContain('"aws:SecureTransport":"false"');
      }
    }
  });

  it('expires raw mail after the retention period and encrypts documents with the data key', () => {
    const raw = resourcesOf(data, 'AWS::S3::Bucket').find(([id]) => id.startsWith('RawMailBucket'))?.[1];
    expect(JSON.stringify(raw?.Properties.LifecycleConfiguration)).toContain('"ExpirationInDays":365');
    const documents = resourcesOf(data, 'AWS::S3::Bucket').find(([id]) => id.startsWith('DocumentsBucket'))?.[1];
    expect(JSON.stringify(documents?.Properties.BucketEncryption)).toContain('"SSEAlgorithm":"aws:kms"');
  });

  it('lets the signing page GET documents through presigned URLs (CORS on GET and HEAD only)', () => {
    const documents = resourcesOf(data, 'AWS::S3::Bucket').find(([id]) => id.startsWith('DocumentsBucket'))?.[1];
    expect(documents?.Properties.CorsConfiguration).toEqual({
      CorsRules: [{ AllowedMethods: ['GET', 'HEAD'], AllowedOrigins: ['*'], MaxAge: 3600 }],
    });
  });

  it('lets SES write raw mail only under the prefix, from this account', () => {
    const policy = resourcesOf(data, 'AWS::S3::BucketPolicy').find(([id]) => id.startsWith('RawMailBucket'))?.[1];
    const text = JSON.stringify(policy?.Properties.PolicyDocument);
    expect(text).toContain('"Service":"ses.amazonaws.com"');
    expect(text).toContain('/inbound/*');
    expect(text).toContain('aws:SourceAccount');
  });
});

describe('functions', () => {
  it('are Node.js 22 on arm64, ESM bundles with source maps enabled', () => {
    const ours = resourcesOf(service, 'AWS::Lambda::Function').filter(
      ([, fn]) =>
        (fn.Properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables?.MAILSIGN_TABLE,
    );
    expect(ours).toHaveLength(13);
    for (const [id, fn] of ours) {
      expect(fn.Properties.Runtime, id).toBe('nodejs22.x');
      expect(fn.Properties.Architectures, id).toEqual(['arm64']);
      expect((fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables.NODE_OPTIONS).toBe(
        '--enable-source-maps',
      );
      expect(fn.Properties.TracingConfig).toEqual({ Mode: 'Active' });
    }
  });

  it('get the environment config.ts reads', () => {
    const env = (service.toJSON().Resources[functionIdFor('SES inbound mail')] as Resource).Properties.Environment as {
      Variables: Record<string, unknown>;
    };
    for (const name of [
      'MAILSIGN_PUBLIC_URL',
      'MAILSIGN_SERVICE_ADDRESS',
      'MAILSIGN_INBOUND_ADDRESSES',
      'MAILSIGN_CUSTOMER_DOMAINS',
      'MAILSIGN_TABLE',
      'MAILSIGN_RAW_BUCKET',
      'MAILSIGN_RAW_PREFIX',
      'MAILSIGN_DOCUMENTS_BUCKET',
      'MAILSIGN_RETENTION_DAYS',
      'MAILSIGN_SEAL_CHAIN_KEY',
      'MAILSIGN_TSA_URLS',
    ]) {
      expect(env.Variables[name], name).toBeDefined();
    }
    expect(env.Variables.MAILSIGN_SERVICE_ADDRESS).toBe('noreply@example.org');
    expect(env.Variables.MAILSIGN_CUSTOMER_DOMAINS).toBe('example.org,example.net');
    const signing = (service.toJSON().Resources[functionIdFor('Signing API')] as Resource).Properties.Environment as {
      Variables: Record<string, unknown>;
    };
    expect(JSON.stringify(signing.Variables.MAILSIGN_STATE_MACHINE_ARN)).toContain('FinalizeStateMachine');
    const certify = (service.toJSON().Resources[functionIdFor('Finalize: PAdES')] as Resource).Properties
      .Environment as { Variables: Record<string, unknown> };
    expect(certify.Variables.MAILSIGN_SEAL_KEY_ID).toBeDefined();
  });

  it('grant kms:Sign on the sealing key to the certify function only', () => {
    const certify = functionIdFor('Finalize: PAdES');
    expect(actionsOf(certify)).toEqual(expect.arrayContaining(['kms:Sign', 'kms:GetPublicKey']));
    for (const [id] of resourcesOf(service, 'AWS::Lambda::Function')) {
      if (id === certify) continue;
      expect(policyStatementsOf(id).flatMap((s) => ([] as string[]).concat(s.Action))).not.toContain('kms:Sign');
    }
  });

  it('give SMS publishing to the signing API only, and never to topics', () => {
    const signing = functionIdFor('Signing API');
    const sms = policyStatementsOf(signing).find((statement) =>
      ([] as string[]).concat(statement.Action).includes('sns:Publish'),
    );
    expect(sms?.NotResource).toBe('arn:aws:sns:*:*:*');
    for (const [id] of resourcesOf(service, 'AWS::Lambda::Function')) {
      if (id !== signing)
        expect(policyStatementsOf(id).flatMap((s) => ([] as string[]).concat(s.Action))).not.toContain('sns:Publish');
    }
  });

  it('let only the signing API start the state machine', () => {
    expect(actionsOf(functionIdFor('Signing API'))).toContain('states:StartExecution');
    expect(actionsOf(functionIdFor('SES inbound mail'))).not.toContain('states:StartExecution');
  });

  it('send mail only as the service address', () => {
    const mailStatement = policyStatementsOf(functionIdFor('Finalize: mail')).find((s) =>
      ([] as string[]).concat(s.Action).includes('ses:SendEmail'),
    );
    expect(mailStatement?.Condition).toEqual({ StringEquals: { 'ses:FromAddress': 'noreply@example.org' } });
    expect(actionsOf(functionIdFor('Finalize: stamp'))).not.toContain('ses:SendEmail');
  });

  it('give the assemble step and the public verify API read-only table access', () => {
    for (const description of ['Finalize: stamp', 'Public verification API']) {
      const actions = actionsOf(functionIdFor(description));
      expect(actions).toContain('dynamodb:GetItem');
      expect(actions).not.toContain('dynamodb:PutItem');
    }
  });

  it('let the certify step record certified files for verification, and nothing reach the seal key but certify', () => {
    expect(actionsOf(functionIdFor('Finalize: PAdES'))).toContain('dynamodb:PutItem');
    expect(actionsOf(functionIdFor('Public verification API'))).not.toContain('kms:Sign');
    expect(actionsOf(functionIdFor('SES inbound mail'))).not.toContain('kms:Sign');
  });

  it('let the deliver step store certified files, and only those', () => {
    const puts = policyStatementsOf(functionIdFor('Finalize: mail the certified'))
      .filter((statement) => ([] as string[]).concat(statement.Action).includes('s3:PutObject'))
      .map((statement) => JSON.stringify(statement.Resource));
    expect(puts).toHaveLength(1);
    expect(puts[0]).toContain('/envelopes/*/certified/*');
  });

  it('reserve concurrency for the SMS-sending signing API', () => {
    const signing = service.toJSON().Resources[functionIdFor('Signing API')] as Resource;
    expect(signing.Properties.ReservedConcurrentExecutions).toBe(10);
  });

  it('send failed asynchronous events to encrypted dead-letter queues', () => {
    for (const description of ['SES inbound mail', 'Daily: delete']) {
      const fn = service.toJSON().Resources[functionIdFor(description)] as Resource;
      expect(fn.Properties.DeadLetterConfig).toEqual({ TargetArn: expect.anything() });
    }
    service.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
    service.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { MaximumRetryAttempts: 2 });
    service.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'cron(17 3 * * ? *)',
      Targets: [Match.objectLike({ DeadLetterConfig: Match.anyValue(), RetryPolicy: Match.anyValue() })],
    });
  });

  it('sweep the due reminders and expiries every 15 minutes, with a dead-letter queue', () => {
    const fn = service.toJSON().Resources[functionIdFor('Every 15 minutes')] as Resource;
    expect(fn.Properties.DeadLetterConfig).toEqual({ TargetArn: expect.anything() });
    service.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(15 minutes)',
      Targets: [Match.objectLike({ DeadLetterConfig: Match.anyValue(), RetryPolicy: Match.anyValue() })],
    });
  });
});

describe('SES receiving', () => {
  it('stores the raw mail in S3 first, then invokes intake asynchronously, with scanning and TLS', () => {
    const [[, rule]] = resourcesOf(service, 'AWS::SES::ReceiptRule') as [[string, Resource]];
    const props = rule.Properties.Rule as {
      Actions: Array<Record<string, { ObjectKeyPrefix?: string; InvocationType?: string; FunctionArn?: unknown }>>;
      ScanEnabled: boolean;
      TlsPolicy: string;
      Recipients: string[];
      Enabled: boolean;
    };
    expect(props.Actions.map((action) => Object.keys(action)[0])).toEqual(['S3Action', 'LambdaAction']);
    expect(props.Actions[0]?.S3Action?.ObjectKeyPrefix).toBe('inbound/');
    expect(props.Actions[1]?.LambdaAction?.InvocationType).toBe('Event');
    expect(JSON.stringify(props.Actions[1]?.LambdaAction?.FunctionArn)).toContain(functionIdFor('SES inbound mail'));
    expect(props.ScanEnabled).toBe(true);
    expect(props.TlsPolicy).toBe('Require');
    expect(props.Recipients).toEqual(['sign@sign.example.org']);
    service.hasResourceProperties('AWS::SES::ReceiptRuleSet', { RuleSetName: 'Mailsign-inbound' });
    service.hasResourceProperties('AWS::Lambda::Permission', {
      Principal: 'ses.amazonaws.com',
      SourceAccount: { Ref: 'AWS::AccountId' },
    });
  });
});

describe('HTTP API', () => {
  it('routes signing and account paths to their functions', () => {
    const keys = resourcesOf(service, 'AWS::ApiGatewayV2::Route')
      .map(([, route]) => route.Properties.RouteKey)
      .sort();
    expect(keys).toEqual([
      'ANY /api/account',
      'ANY /api/account/{proxy+}',
      'ANY /api/signing',
      'ANY /api/signing/{proxy+}',
      'GET /api/verify/{proxy+}',
      'POST /api/payments/webhook',
    ]);
  });

  it('limits CORS to the web origin', () => {
    const [[, api]] = resourcesOf(service, 'AWS::ApiGatewayV2::Api') as [[string, Resource]];
    const cors = api.Properties.CorsConfiguration as { AllowOrigins: unknown[] };
    expect(cors.AllowOrigins).toHaveLength(1);
    expect(JSON.stringify(cors.AllowOrigins)).toContain('WebDistribution');
    expect(JSON.stringify(cors.AllowOrigins)).not.toContain('"*"');
  });

  it('throttles and writes access logs without paths, headers or query strings', () => {
    const [[, stage]] = resourcesOf(service, 'AWS::ApiGatewayV2::Stage') as [[string, Resource]];
    expect(stage.Properties.DefaultRouteSettings).toEqual({ ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40 });
    const format = (stage.Properties.AccessLogSettings as { Format: string }).Format;
    expect(JSON.parse(format)).toEqual(ACCESS_LOG_FIELDS);
    expect(format).not.toMatch(/\$context\.(path|querystring)|\$request\.header|authorization/i);
  });
});

describe('finalize state machine', () => {
  it('is STANDARD, loaded from the ASL file as an asset, with logging and tracing', () => {
    const [[, machine]] = resourcesOf(service, 'AWS::StepFunctions::StateMachine') as [[string, Resource]];
    expect(machine.Properties.StateMachineType).toBe('STANDARD');
    expect(machine.Properties.DefinitionString).toBeUndefined();
    expect(machine.Properties.DefinitionS3Location).toMatchObject({ Key: expect.stringMatching(/\.json$/) });
    expect(machine.Properties.TracingConfiguration).toEqual({ Enabled: true });
    expect(machine.Properties.LoggingConfiguration).toMatchObject({ Level: 'ALL', IncludeExecutionData: false });
  });

  it('substitutes every function ARN the ASL names, and the asset is that file', () => {
    const asl = readFileSync(FINALIZE_ASL_PATH, 'utf8');
    const placeholders = [...asl.matchAll(/\$\{(\w+)\}/g)].map((match) => match[1]).sort();
    const [[, machine]] = resourcesOf(service, 'AWS::StepFunctions::StateMachine') as [[string, Resource]];
    const substitutions = machine.Properties.DefinitionSubstitutions as Record<string, unknown>;
    expect(Object.keys(substitutions).sort()).toEqual([...new Set(placeholders)]);
    expect(JSON.stringify(substitutions.CertifyFunctionArn)).toContain(functionIdFor('Finalize: PAdES'));
    const key = (machine.Properties.DefinitionS3Location as { Key: string }).Key;
    const staged = readFileSync(join(synth.outdir, `asset.${key.replace(/\.json$/, '')}.json`), 'utf8');
    expect(staged).toBe(asl);
  });

  it('may invoke exactly the six step functions', () => {
    const roleId = (
      (service.toJSON().Resources as Record<string, Resource>)[
        resourcesOf(service, 'AWS::StepFunctions::StateMachine')[0]![0]
      ]!.Properties.RoleArn as { 'Fn::GetAtt': [string] }
    )['Fn::GetAtt'][0];
    const invoke = resourcesOf(service, 'AWS::IAM::Policy')
      .filter(([, policy]) => JSON.stringify(policy.Properties.Roles).includes(roleId))
      .flatMap(
        ([, policy]) =>
          (policy.Properties.PolicyDocument as { Statement: Array<{ Action: unknown; Resource: unknown[] }> })
            .Statement,
      )
      .find((statement) => statement.Action === 'lambda:InvokeFunction');
    expect(invoke?.Resource).toHaveLength(6);
  });
});

describe('web', () => {
  it('serves the private bucket through CloudFront with OAC, HTTPS only', () => {
    const [[, distribution]] = resourcesOf(service, 'AWS::CloudFront::Distribution') as [[string, Resource]];
    const config = distribution.Properties.DistributionConfig as Record<
      string,
      { ViewerProtocolPolicy?: string } & Record<string, unknown>
    > & { Origins: Array<Record<string, unknown>>; Logging?: unknown };
    expect(config.DefaultCacheBehavior?.ViewerProtocolPolicy).toBe('redirect-to-https');
    expect(config.Origins[0]?.OriginAccessControlId).toBeDefined();
    expect(config.Logging).toBeDefined();
    service.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
  });

  it('sends security headers and a strict CSP', () => {
    const [[, policy]] = resourcesOf(service, 'AWS::CloudFront::ResponseHeadersPolicy') as [[string, Resource]];
    const headers = (
      policy.Properties.ResponseHeadersPolicyConfig as {
        SecurityHeadersConfig: Record<string, Record<string, unknown>>;
      }
    ).SecurityHeadersConfig;
    const csp = JSON.stringify(headers.ContentSecurityPolicy);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain("'unsafe-eval'");
    expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval';");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toMatch(/connect-src 'self' https:\/\/\*\.execute-api\.[^;]* https:\/\/\*\.s3\./);
    expect(headers.StrictTransportSecurity).toMatchObject({
      AccessControlMaxAgeSec: 63072000,
      IncludeSubdomains: true,
    });
    expect(headers.FrameOptions).toMatchObject({ FrameOption: 'DENY' });
    expect(headers.ContentTypeOptions).toBeDefined();
  });

  it('deploys the page with a runtime config.json holding the API URL', () => {
    const [[, deployment]] = resourcesOf(service, 'Custom::CDKBucketDeployment') as [[string, Resource]];
    expect(deployment.Properties.SourceMarkers).toBeDefined();
    expect(JSON.stringify(deployment.Properties.SourceMarkers)).toContain('HttpApi');
    expect(deployment.Properties.DistributionPaths).toEqual(['/*']);
    const configs = readdirSync(synth.outdir)
      .map((entry) => join(synth.outdir, entry, 'config.json'))
      .filter((path) => existsSync(path))
      .map((path) => JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>);
    expect(configs).toHaveLength(1);
    // web/src/config.ts reads apiBaseUrl; the marker is replaced by the API URL at deploy time.
    expect(Object.keys(configs[0]!)).toEqual(['apiBaseUrl']);
  });
});

describe('alarms', () => {
  it(
    'alarm on function errors, finalization failures, dead letters, API ' +
      'errors and SMS spend to the operator topic',
    () => {
      const alarms = resourcesOf(service, 'AWS::CloudWatch::Alarm').map(([, alarm]) => alarm.Properties);
      const metrics = alarms.map((alarm) => `${String(alarm.Namespace)}/${String(alarm.MetricName)}`);
      expect(metrics.filter((metric) => metric === 'AWS/Lambda/Errors')).toHaveLength(13);
      expect(metrics).toEqual(
        expect.arrayContaining([
          'AWS/States/ExecutionsFailed',
          'AWS/SQS/ApproximateNumberOfMessagesVisible',
          'AWS/ApiGateway/5xx',
          'AWS/SNS/SMSMonthToDateSpentUSD',
          'mailsign/FinalizationFailures',
          'mailsign/ChargesPending',
          'mailsign/ChargesPendingLeft',
        ]),
      );
      for (const alarm of alarms) expect(JSON.stringify(alarm.AlarmActions)).toContain('MonitoringOperatorTopic');
      service.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
      service.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.org' });
    },
  );
});
