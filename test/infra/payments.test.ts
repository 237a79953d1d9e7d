// CDK assertions for payments (with cdk-nag on): the webhook route without auth and with its own
// throttle, the Stripe secret read by exactly the functions that need it, the signature alarm,
// and a real deployment refused without the seller identity.
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { synthMailsign } from './synth-helpers.ts';

let service: Template;

beforeAll(() => {
  service = synthMailsign().serviceTemplate;
});

function functionId(description: string): string {
  const [id] = Object.entries(service.findResources('AWS::Lambda::Function')).find(([, fn]) =>
    String((fn as { Properties: { Description?: string } }).Properties.Description ?? '').startsWith(description),
  ) ?? [''];
  return id;
}

describe('payments on AWS', () => {
  it('routes POST /api/payments/webhook to its function, with no authorizer and its own throttle', () => {
    service.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: 'POST /api/payments/webhook',
      AuthorizationType: 'NONE',
    });
    service.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      RouteSettings: { 'POST /api/payments/webhook': { ThrottlingRateLimit: 10, ThrottlingBurstLimit: 20 } },
    });
  });

  it('gives the webhook and the customer-area API the Stripe secret and the seller identity', () => {
    for (const description of ['Payment webhook', 'Customer area API']) {
      const fn = service.toJSON().Resources[functionId(description)] as {
        Properties: { Environment: { Variables: Record<string, unknown> } };
      };
      expect(fn.Properties.Environment.Variables).toMatchObject({
        MAILSIGN_STRIPE_SECRET_ARN: expect.anything(),
        MAILSIGN_SELLER_NAME: 'Example SAS',
        MAILSIGN_SELLER_SIREN: '123456789',
        MAILSIGN_SELLER_VAT_NUMBER: 'FR12123456789',
        MAILSIGN_VAT_RATE_PERCENT: '20',
        MAILSIGN_INVOICE_PREFIX: 'MS',
      });
    }
    const readers = Object.values(service.findResources('AWS::IAM::Policy')).filter((policy) =>
      JSON.stringify(policy).includes('secretsmanager:GetSecretValue'),
    );
    expect(readers).toHaveLength(2);
  });

  it('alarms on webhook signature failures', () => {
    service.hasResourceProperties('AWS::Logs::MetricFilter', {
      FilterPattern: Match.stringLikeRegexp('payments.webhook-signature-invalid'),
      MetricTransformations: [Match.objectLike({ MetricName: 'PaymentsWebhookSignatureInvalid' })],
    });
    service.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'PaymentsWebhookSignatureInvalid',
      Threshold: 5,
      AlarmActions: Match.anyValue(),
    });
  });

  it('refuses a real deployment without the seller identity', () => {
    expect(() =>
      synthMailsign({ context: { sellerName: '', sellerAddress: '', sellerSiren: '', sellerVatNumber: '' } }),
    ).toThrow(/seller identity/);
  });
});
