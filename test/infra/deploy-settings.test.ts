// Deployment context parsing (defaults, coercion, errors) and the cdk-nag wiring: the expected
// grant wildcards are acknowledged with reasons, an unexpected one still fails the synth.
import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { DEPLOY_CONTEXT_DEFAULTS, parseDeploySettings } from '../../lib/deploy-settings.ts';
import { acknowledgeExpectedFindings, WILDCARD_REASONS } from '../../lib/nag-acknowledgements.ts';

describe('deploy settings', () => {
  it('applies the documented defaults', () => {
    const settings = parseDeploySettings({});
    expect(settings).toMatchObject({
      stackPrefix: 'Mailsign',
      inboundDomain: 'sign.example.com',
      inboundAddress: 'sign@sign.example.com',
      serviceAddress: 'noreply@sign.example.com',
      customerDomains: [],
      retentionDays: DEPLOY_CONTEXT_DEFAULTS.retentionDays,
      smsSenderId: 'mailsign',
      sealChainKey: 'config/seal-chain.pem',
      signingApiReservedConcurrency: 10,
      manageSmsAccountSettings: false,
      usesExampleDomain: true,
    });
    expect(settings.publicUrl).toBeUndefined();
  });

  it('coerces command-line strings', () => {
    const settings = parseDeploySettings({
      inboundDomain: 'In.Example.ORG',
      customerDomains: 'Example.org, example.net',
      retentionDays: '30',
      manageSmsAccountSettings: 'true',
      publicUrl: 'https://sign.example.org/',
    });
    expect(settings).toMatchObject({
      inboundDomain: 'in.example.org',
      inboundAddress: 'sign@in.example.org',
      customerDomains: ['example.org', 'example.net'],
      retentionDays: 30,
      manageSmsAccountSettings: true,
      publicUrl: 'https://sign.example.org',
      usesExampleDomain: false,
    });
  });

  it('reads the time-stamp services in order, keeping their case, and refuses what is not a URL', () => {
    expect(parseDeploySettings({}).tsaUrls).toEqual([]);
    expect(
      parseDeploySettings({ tsaUrls: 'https://tsa.Example.org/tsr, http://timestamp.example.net' }).tsaUrls,
    ).toEqual(['https://tsa.Example.org/tsr', 'http://timestamp.example.net']);
    expect(() => parseDeploySettings({ tsaUrls: 'not a url' })).toThrow(/tsaUrls/);
  });

  it('explains invalid values by context key', () => {
    expect(() => parseDeploySettings({ smsSenderId: 'far-too-long-sender' })).toThrow(/-c smsSenderId/);
    expect(() => parseDeploySettings({ retentionDays: 'soon' })).toThrow(/-c retentionDays/);
    expect(() => parseDeploySettings({ webDomainName: 'sign.example.org' })).toThrow(/webCertificateArn/);
  });
});

describe('cdk-nag acknowledgements', () => {
  it('give a written reason for every accepted wildcard', () => {
    for (const reason of WILDCARD_REASONS) expect(reason.reason.length).toBeGreaterThan(30);
  });

  it('still fail the synth on a wildcard nobody gave a reason for', () => {
    const app = new App({ builtinCloudFormationValidation: false });
    const stack = new Stack(app, 'Probe');
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] }));
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['dynamodb:*'],
        resources: ['arn:aws:dynamodb:eu-west-1:123456789012:table/t'],
      }),
    );
    acknowledgeExpectedFindings(stack);
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    const failure = String(
      (() => {
        try {
          app.synth();
          return 'no failure';
        } catch (error) {
          return error;
        }
      })(),
    );
    expect(failure).toContain('AwsSolutions-IAM5[Resource::*]');
    expect(failure).toContain('AwsSolutions-IAM5[Action::dynamodb:*]');
  });
});
