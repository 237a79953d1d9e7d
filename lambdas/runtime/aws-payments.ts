// The AWS composition root of payments: the Stripe provider, with its secret key and webhook
// signing secret read from Secrets Manager once per execution environment (cold start) and kept,
// and the seller identity and VAT rate from the deploy settings.
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createStripePaymentProvider } from '../adapters/stripe/stripe-payment-provider.ts';
import type { AppConfig, PaymentsConfig } from '../config.ts';
import type { Deps } from '../core/deps.ts';
import type { PaymentDeps } from '../core/payments/billing-settings.ts';

export type StripeSecret = { secretKey: string; webhookSecret: string };

export async function readStripeSecret(options: {
  client: SecretsManagerClient;
  secretArn: string;
}): Promise<StripeSecret> {
  const result = await options.client.send(new GetSecretValueCommand({ SecretId: options.secretArn }));
  let parsed: Partial<StripeSecret> = {};
  try {
    parsed = JSON.parse(result.SecretString ?? '{}') as Partial<StripeSecret>;
  } catch {
    // Reported below without echoing the secret's text.
  }
  if (typeof parsed.secretKey !== 'string' || typeof parsed.webhookSecret !== 'string')
    throw new Error('The Stripe secret must be JSON with string fields "secretKey" and "webhookSecret".');
  return { secretKey: parsed.secretKey, webhookSecret: parsed.webhookSecret };
}

let cached: Promise<PaymentDeps> | undefined;

export function createAwsPaymentDeps(options: {
  config: AppConfig;
  payments: PaymentsConfig;
  client?: SecretsManagerClient;
  /** The function's own composition root (only the adapters it uses, see runtime/aws/). */
  createDeps: (config: AppConfig) => Deps;
}): Promise<PaymentDeps> {
  cached ??= (async () => {
    const client = options.client ?? new SecretsManagerClient({ region: options.config.region });
    const secret = await readStripeSecret({ client, secretArn: options.payments.stripeSecretArn });
    return {
      ...options.createDeps(options.config),
      payments: createStripePaymentProvider(secret),
      billing: {
        vatRateBasisPoints: options.payments.vatRateBasisPoints,
        invoicePrefix: options.payments.invoicePrefix,
        seller: options.payments.seller,
      },
    };
  })().catch((error: unknown) => {
    cached = undefined; // a failed read is tried again on the next invocation
    throw error;
  });
  return cached;
}
