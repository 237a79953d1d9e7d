// The AWS payments composition root: the Stripe keys come from Secrets Manager (SDK client mocked
// at the wire with aws-sdk-client-mock), read once per execution environment and kept; a bad
// secret is reported without its text and tried again next time. And the payment settings.
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { loadConfig, loadPaymentsConfig } from '../../../lambdas/config.ts';
import { createAwsPaymentDeps } from '../../../lambdas/runtime/aws-payments.ts';
import { createAccountApiDeps } from '../../../lambdas/runtime/aws/account-api-root.ts';

const env = {
  MAILSIGN_PUBLIC_URL: 'https://sign.example.org',
  MAILSIGN_SERVICE_ADDRESS: 'noreply@example.org',
  MAILSIGN_TABLE: 'table',
  MAILSIGN_RAW_BUCKET: 'raw',
  MAILSIGN_DOCUMENTS_BUCKET: 'documents',
  AWS_REGION: 'eu-west-3',
  MAILSIGN_STRIPE_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-3:123456789012:secret:stripe-AbCdEf',
  MAILSIGN_SELLER_NAME: 'Example SAS',
  MAILSIGN_SELLER_ADDRESS: '1 rue X|75001 Paris|France',
  MAILSIGN_SELLER_SIREN: '123456789',
  MAILSIGN_SELLER_VAT_NUMBER: 'FR12123456789',
};

describe('createAwsPaymentDeps', () => {
  it('reports a malformed secret without echoing it, and reads again on the next call', async () => {
    const secrets = mockClient(SecretsManagerClient);
    secrets.on(GetSecretValueCommand).resolves({ SecretString: 'sk_live_leaked' });
    const options = {
      config: loadConfig(env),
      payments: loadPaymentsConfig(env),
      client: new SecretsManagerClient({}),
      createDeps: createAccountApiDeps,
    };
    const failure = await createAwsPaymentDeps(options).catch((error: Error) => error);
    expect(String(failure)).toMatch(/secretKey/);
    expect(String(failure)).not.toContain('sk_live_leaked');

    secrets.on(GetSecretValueCommand).resolves({
      SecretString: JSON.stringify({ secretKey: 'sk_test_x', webhookSecret: 'whsec_x' }),
    });
    const first = await createAwsPaymentDeps(options);
    const second = await createAwsPaymentDeps(options);

    expect(second).toBe(first);
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(2); // the failed read, then one
    expect(secrets.commandCalls(GetSecretValueCommand)[1]?.args[0].input).toEqual({
      SecretId: env.MAILSIGN_STRIPE_SECRET_ARN,
    });
    expect(first.billing).toEqual({
      vatRateBasisPoints: 2000,
      invoicePrefix: 'MS',
      seller: {
        name: 'Example SAS',
        address: '1 rue X\n75001 Paris\nFrance',
        siren: '123456789',
        vatNumber: 'FR12123456789',
      },
    });
    secrets.restore();
  });
});

describe('loadPaymentsConfig', () => {
  it('names what is missing or malformed', () => {
    expect(() =>
      loadPaymentsConfig({ ...env, MAILSIGN_SELLER_SIREN: '12345', MAILSIGN_SELLER_NAME: undefined }),
    ).toThrow(
      new RegExp(
        'MAILSIGN_SELLER_NAME[\\s\\S]*MAILSIGN_SELLER_SIREN: nine digits|' +
          'MAILSIGN_SELLER_SIREN: nine digits[\\s\\S]*MAILSIGN_SELLER_NAME',
      ),
    );
  });

  it('reads a VAT rate in percent and a prefix', () => {
    const config = loadPaymentsConfig({ ...env, MAILSIGN_VAT_RATE_PERCENT: '5.5', MAILSIGN_INVOICE_PREFIX: 'FAC' });
    expect([config.vatRateBasisPoints, config.invoicePrefix]).toEqual([550, 'FAC']);
  });
});
