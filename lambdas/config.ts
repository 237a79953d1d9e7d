// The only reader of process.env: validates the configuration once and fails fast with a
// message that names the missing or malformed variable.
import * as z from 'zod';
import { ConfigError } from './core/errors.ts';

const commaList = z
  .string()
  .default('')
  .transform((value) =>
    value
      .split(',')
      .map((item) => item.trim().toLowerCase())
      .filter(Boolean),
  );

/** Comma-separated URLs, order kept (MAILSIGN_TSA_URLS: tried in that order). */
const urlList = z
  .string()
  .default('')
  .transform((value) =>
    value
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.string().url()));

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const sharedSchema = z.object({
  MAILSIGN_PUBLIC_URL: z.url(),
  /** The From address of every mail the service sends. */
  MAILSIGN_SERVICE_ADDRESS: z.email(),
  MAILSIGN_SERVICE_NAME: z.string().default('mailsign'),
  /** Addresses that belong to the service (never signers), besides MAILSIGN_SERVICE_ADDRESS. */
  MAILSIGN_INBOUND_ADDRESSES: commaList,
  /** Domains whose mailboxes are customers; empty means every authenticated sender is one. */
  MAILSIGN_CUSTOMER_DOMAINS: commaList,
  MAILSIGN_TABLE: z.string().min(1),
  MAILSIGN_RAW_BUCKET: z.string().min(1),
  MAILSIGN_RAW_PREFIX: z.string().default('inbound/'),
  MAILSIGN_DOCUMENTS_BUCKET: z.string().min(1),
  MAILSIGN_LINK_TTL_DAYS: positiveInt(30),
  MAILSIGN_RETENTION_DAYS: positiveInt(365),
  MAILSIGN_CLOSED_ACCOUNT_GRACE_DAYS: positiveInt(30),
  /** Days after a signer's turn began before the automatic reminder (again after twice that). */
  MAILSIGN_REMIND_AFTER_DAYS: positiveInt(3),
  MAILSIGN_SMS_SENDER_ID: z.string().default('mailsign'),
  MAILSIGN_STATE_MACHINE_ARN: z.string().optional(),
  MAILSIGN_SEAL_KEY_ID: z.string().optional(),
  /** Where the sealing certificate chain (PEM) is read from: an S3 key in the documents bucket. */
  MAILSIGN_SEAL_CHAIN_KEY: z.string().default('config/seal-chain.pem'),
  /** RFC 3161 services tried in order; when set the seal is PAdES B-T (design.md "Verification"). */
  MAILSIGN_TSA_URLS: urlList,
  /** Per time-stamp service, before the next one is tried. */
  MAILSIGN_TSA_TIMEOUT_MS: positiveInt(5000),
  AWS_REGION: z.string().optional(),
});

export type AppConfig = {
  publicUrl: string;
  serviceAddress: string;
  serviceName: string;
  inboundAddresses: string[];
  customerDomains: string[];
  table: string;
  rawBucket: string;
  rawPrefix: string;
  documentsBucket: string;
  linkTtlDays: number;
  retentionDays: number;
  closedAccountGraceDays: number;
  remindAfterDays: number;
  smsSenderId: string;
  stateMachineArn?: string;
  sealKeyId?: string;
  sealChainKey: string;
  tsaUrls: string[];
  tsaTimeoutMs: number;
  region?: string;
};

export { ConfigError };

function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
}

/** Reads the service configuration from an environment (process.env by default). */
export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const parsed = sharedSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      `Invalid mailsign configuration: ${describeIssues(parsed.error)}. ` +
        'Set these environment variables (see README "Configuration").',
      { cause: parsed.error },
    );
  }
  const e = parsed.data;
  return {
    publicUrl: e.MAILSIGN_PUBLIC_URL.replace(/\/+$/, ''),
    serviceAddress: e.MAILSIGN_SERVICE_ADDRESS.toLowerCase(),
    serviceName: e.MAILSIGN_SERVICE_NAME,
    inboundAddresses: e.MAILSIGN_INBOUND_ADDRESSES,
    customerDomains: e.MAILSIGN_CUSTOMER_DOMAINS,
    table: e.MAILSIGN_TABLE,
    rawBucket: e.MAILSIGN_RAW_BUCKET,
    rawPrefix: e.MAILSIGN_RAW_PREFIX,
    documentsBucket: e.MAILSIGN_DOCUMENTS_BUCKET,
    linkTtlDays: e.MAILSIGN_LINK_TTL_DAYS,
    retentionDays: e.MAILSIGN_RETENTION_DAYS,
    closedAccountGraceDays: e.MAILSIGN_CLOSED_ACCOUNT_GRACE_DAYS,
    remindAfterDays: e.MAILSIGN_REMIND_AFTER_DAYS,
    smsSenderId: e.MAILSIGN_SMS_SENDER_ID,
    stateMachineArn: e.MAILSIGN_STATE_MACHINE_ARN,
    sealKeyId: e.MAILSIGN_SEAL_KEY_ID,
    sealChainKey: e.MAILSIGN_SEAL_CHAIN_KEY,
    tsaUrls: e.MAILSIGN_TSA_URLS,
    tsaTimeoutMs: e.MAILSIGN_TSA_TIMEOUT_MS,
    region: e.AWS_REGION,
  };
}

const localSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  SMTP_PORT: z.coerce.number().int().min(0).max(65535).default(2525),
  MAILSIGN_HOST: z.string().default('127.0.0.1'),
  MAILSIGN_DATA_DIR: z.string().default('./.mailsign'),
  MAILSIGN_PUBLIC_URL: z.url().optional(),
  /** Empty: the local stack's own TSA (<http>/dev/tsa). */
  MAILSIGN_TSA_URLS: urlList,
  MAILSIGN_REMIND_AFTER_DAYS: z.coerce.number().int().positive().optional(),
});

export type LocalConfig = {
  port: number;
  smtpPort: number;
  host: string;
  dataDir: string;
  /** Undefined means "http://localhost:<actual port>", known once the server listens. */
  publicUrl?: string;
  /** Undefined: the local stack's own time-stamp authority. */
  tsaUrls?: string[];
  /** Days before the automatic reminder (3 when unset). */
  remindAfterDays?: number;
};

/** Reads the settings of the local stack (`npm start`). */
export function loadLocalConfig(env: Record<string, string | undefined> = process.env): LocalConfig {
  const parsed = localSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(`Invalid local stack settings: ${describeIssues(parsed.error)}.`, { cause: parsed.error });
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    smtpPort: e.SMTP_PORT,
    host: e.MAILSIGN_HOST,
    dataDir: e.MAILSIGN_DATA_DIR,
    publicUrl: e.MAILSIGN_PUBLIC_URL,
    ...(e.MAILSIGN_TSA_URLS.length > 0 ? { tsaUrls: e.MAILSIGN_TSA_URLS } : {}),
    ...(e.MAILSIGN_REMIND_AFTER_DAYS !== undefined && { remindAfterDays: e.MAILSIGN_REMIND_AFTER_DAYS }),
  };
}

export type CliConfig = {
  table: string;
  region?: string /** For `mailsign envelope retry` on AWS. */;
  stateMachineArn?: string;
};

/**
 * What the admin commands (`mailsign account ...`) need to reach an AWS deployment: the table and
 * region. Undefined when MAILSIGN_TABLE is not set: the commands then talk to the local stack.
 */
export function loadCliConfig(env: Record<string, string | undefined> = process.env): CliConfig | undefined {
  const parsed = z
    .object({
      MAILSIGN_TABLE: z.string().optional(),
      AWS_REGION: z.string().optional(),
      MAILSIGN_STATE_MACHINE_ARN: z.string().optional(),
    })
    .safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(`Invalid mailsign CLI settings: ${describeIssues(parsed.error)}.`, { cause: parsed.error });
  }
  const { MAILSIGN_TABLE: table, AWS_REGION: region, MAILSIGN_STATE_MACHINE_ARN: stateMachineArn } = parsed.data;
  return table ? { table, region, stateMachineArn } : undefined;
}

const billingSchema = z.object({
  MAILSIGN_VAT_RATE_PERCENT: z.coerce.number().min(0).max(100).default(20),
  MAILSIGN_INVOICE_PREFIX: z
    .string()
    .regex(/^[A-Z0-9]{1,12}$/, 'capital letters and digits only')
    .default('MS'),
  MAILSIGN_SELLER_NAME: z.string().min(1),
  /** Lines separated by `|` or newlines. */
  MAILSIGN_SELLER_ADDRESS: z.string().min(1),
  MAILSIGN_SELLER_SIREN: z.string().regex(/^\d{9}$/, 'nine digits'),
  MAILSIGN_SELLER_VAT_NUMBER: z
    .string()
    .regex(/^[A-Z]{2}[0-9A-Z]{2,13}$/, 'an intra-EU VAT number such as FR12345678901'),
});
const paymentsSchema = billingSchema.extend({
  /** Secrets Manager secret holding `{"secretKey": "sk_...", "webhookSecret": "whsec_..."}`. */
  MAILSIGN_STRIPE_SECRET_ARN: z.string().min(1),
});

export type BillingConfig = {
  vatRateBasisPoints: number;
  invoicePrefix: string;
  seller: { name: string; address: string; siren: string; vatNumber: string };
};

export type PaymentsConfig = {
  stripeSecretArn: string;
  vatRateBasisPoints: number;
  invoicePrefix: string;
  seller: { name: string; address: string; siren: string; vatNumber: string };
};

/** What top-ups and invoices need on AWS: all required except the VAT rate (20 %) and the prefix (MS). */
export function loadPaymentsConfig(env: Record<string, string | undefined> = process.env): PaymentsConfig {
  const parsed = paymentsSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      `Invalid mailsign payment settings: ${describeIssues(parsed.error)}. Set ` +
        'these deploy settings (see docs/deploy.md "Top-ups").',
      { cause: parsed.error },
    );
  }
  return { stripeSecretArn: parsed.data.MAILSIGN_STRIPE_SECRET_ARN, ...toBillingConfig(parsed.data) };
}

/**
 * Invoicing alone (the daily job finishing interrupted payments): undefined when no seller is
 * configured at all, an error when it is configured wrongly.
 */
export function loadBillingConfig(env: Record<string, string | undefined> = process.env): BillingConfig | undefined {
  if (!env.MAILSIGN_SELLER_NAME) return undefined;
  const parsed = billingSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(`Invalid mailsign invoicing settings: ${describeIssues(parsed.error)}.`, {
      cause: parsed.error,
    });
  }
  return toBillingConfig(parsed.data);
}

function toBillingConfig(e: z.infer<typeof billingSchema>): BillingConfig {
  return {
    vatRateBasisPoints: Math.round(e.MAILSIGN_VAT_RATE_PERCENT * 100),
    invoicePrefix: e.MAILSIGN_INVOICE_PREFIX,
    seller: {
      name: e.MAILSIGN_SELLER_NAME,
      address: e.MAILSIGN_SELLER_ADDRESS.split(/\s*(?:\||\n)\s*/).join('\n'),
      siren: e.MAILSIGN_SELLER_SIREN,
      vatNumber: e.MAILSIGN_SELLER_VAT_NUMBER,
    },
  };
}
