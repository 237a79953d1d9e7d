// The optional deployment shapes (one synth, cdk-nag on): sealing with an operator's KMS key,
// a custom web domain, SMS account settings managed by the stack, no reserved concurrency.
import type { Template } from 'aws-cdk-lib/assertions';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { synthMailsign, type SynthResult } from './synth-helpers.ts';

const SEAL_KEY_ARN = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const CERT_ARN = 'arn:aws:acm:us-east-1:123456789012:certificate/abcd';

let synthResult: SynthResult;
let data: Template;
let service: Template;

beforeAll(() => {
  const synth = synthMailsign({
    context: {
      stackPrefix: 'Acme',
      sealKeyArn: SEAL_KEY_ARN,
      webDomainName: 'sign.acme.test',
      webCertificateArn: CERT_ARN,
      manageSmsAccountSettings: 'true',
      smsMonthlySpendLimitUsd: '50',
      signingApiReservedConcurrency: '0',
      webDistDir: 'web/not-built-here',
    },
  });
  synthResult = synth;
  data = synth.dataTemplate;
  service = synth.serviceTemplate;
});

describe('deployment variants', () => {
  it('seals with the operator key: no sealing key created, kms:Sign granted on that ARN', () => {
    data.resourcePropertiesCountIs('AWS::KMS::Key', { KeyUsage: 'SIGN_VERIFY' }, 0);
    service.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: ['kms:GetPublicKey', 'kms:Sign'], Resource: SEAL_KEY_ARN }),
        ]),
      },
    });
    service.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('PAdES'),
      Environment: { Variables: Match.objectLike({ MAILSIGN_SEAL_KEY_ID: SEAL_KEY_ARN }) },
    });
  });

  it('serves the custom domain with TLS 1.2+ and uses it for links and CORS', () => {
    service.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Aliases: ['sign.acme.test'],
        ViewerCertificate: {
          AcmCertificateArn: CERT_ARN,
          MinimumProtocolVersion: 'TLSv1.2_2021',
          SslSupportMethod: 'sni-only',
        },
      }),
    });
    service.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: Match.objectLike({ AllowOrigins: ['https://sign.acme.test'] }),
    });
    service.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ MAILSIGN_PUBLIC_URL: 'https://sign.acme.test' }) },
    });
  });

  it('applies the SMS account settings and sizes the spend alarm from the limit', () => {
    const [resource] = Object.values(service.findResources('Custom::AWS')) as Array<{
      Properties: { Create: unknown };
    }>;
    const create = JSON.stringify(resource?.Properties.Create);
    expect(create).toContain('setSMSAttributes');
    expect(create).toContain('MonthlySpendLimit');
    expect(create).toContain('Transactional');
    service.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'SMSMonthToDateSpentUSD', Threshold: 40 });
  });

  it('names stacks, rule set and buckets after the prefix and can skip the concurrency reservation', () => {
    service.hasResourceProperties('AWS::SES::ReceiptRuleSet', { RuleSetName: 'Acme-inbound' });
    expect(JSON.stringify(data.findResources('AWS::S3::Bucket'))).toContain('acme-documents-');
    for (const fn of Object.values(service.findResources('AWS::Lambda::Function')) as Array<{
      Properties: Record<string, unknown>;
    }>) {
      expect(fn.Properties.ReservedConcurrentExecutions).toBeUndefined();
    }
  });

  it('deploys a placeholder page with a warning when the web build is missing', () => {
    const warnings = Annotations.fromStack(synthResult.service)
      .findWarning('*', Match.anyValue())
      .map((warning) => String(warning.entry.data));
    expect(warnings.some((text) => text.includes('npm run build:web'))).toBe(true);
    expect(synthResult.service.web.hasBuiltPage).toBe(false);
    service.resourceCountIs('Custom::CDKBucketDeployment', 1);
  });
});
