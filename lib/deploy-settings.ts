// Deployment settings read from CDK context (`cdk deploy -c key=value`, or cdk.json "context").
// One typed, validated object; every key has a documented default (docs/deploy.md). Values from
// the command line arrive as strings, so numbers and booleans are coerced.
import type { Node } from 'constructs';
import { z } from 'zod';

const email = z.string().trim().toLowerCase().pipe(z.email());
const optionalText = z.preprocess(
  (value) => (value === '' || value === null ? undefined : value),
  z.string().trim().optional(),
);
const flag = z.preprocess((value) => (typeof value === 'string' ? value === 'true' : value), z.boolean());
const commaList = z.preprocess(
  (value) => (Array.isArray(value) ? value.join(',') : (value ?? '')),
  z.string().transform((value) =>
    value
      .split(',')
      .map((item) => item.trim().toLowerCase())
      .filter(Boolean),
  ),
);

export const DEPLOY_CONTEXT_DEFAULTS = {
  stackPrefix: 'Mailsign',
  inboundDomain: 'sign.example.com',
  serviceName: 'mailsign',
  customerDomains: '',
  retentionDays: 365,
  linkTtlDays: 30,
  closedAccountGraceDays: 30,
  remindAfterDays: 3,
  rawPrefix: 'inbound/',
  smsSenderId: 'mailsign',
  smsMonthlySpendLimitUsd: 1,
  manageSmsAccountSettings: false,
  signingApiReservedConcurrency: 10,
  apiRateLimit: 20,
  apiBurstLimit: 40,
  sealChainKey: 'config/seal-chain.pem',
  sealKeyAlias: 'alias/mailsign-seal',
  webDistDir: 'web/dist',
  logRetentionDays: 90,
  vatRatePercent: 20,
  invoicePrefix: 'MS',
  paymentsWebhookRateLimit: 10,
  paymentsWebhookBurstLimit: 20,
  tsaUrls: '',
} as const;

const d = DEPLOY_CONTEXT_DEFAULTS;

const schema = z.object({
  stackPrefix: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9-]*$/)
    .default(d.stackPrefix),
  /** The domain SES receives mail for (MX record points to SES). */
  inboundDomain: z.string().trim().toLowerCase().min(3).default(d.inboundDomain),
  /** The address mail hosts redirect `*SIGN` messages to; default sign@<inboundDomain>. */
  inboundAddress: email.optional(),
  /** From address of every mail the service sends (an SES-verified identity); default noreply@<inboundDomain>. */
  serviceAddress: email.optional(),
  serviceName: z.string().min(1).default(d.serviceName),
  customerDomains: commaList.prefault(d.customerDomains),
  /** Base URL of links in mails; default the CloudFront URL. */
  publicUrl: z.preprocess((value) => (value === '' ? undefined : value), z.url().optional()),
  /** Custom domain for the web distribution, with its us-east-1 ACM certificate ARN. */
  webDomainName: optionalText,
  webCertificateArn: optionalText,
  retentionDays: z.coerce.number().int().positive().default(d.retentionDays),
  linkTtlDays: z.coerce.number().int().positive().default(d.linkTtlDays),
  closedAccountGraceDays: z.coerce.number().int().positive().default(d.closedAccountGraceDays),
  /** Days after a signer's turn began before the automatic reminder (again after twice that). */
  remindAfterDays: z.coerce.number().int().positive().default(d.remindAfterDays),
  rawPrefix: z
    .string()
    .regex(/^[A-Za-z0-9!_.*'()/-]+\/$/)
    .default(d.rawPrefix),
  smsSenderId: z
    .string()
    .regex(/^(?=.*[A-Za-z])[A-Za-z0-9]{1,11}$/)
    .default(d.smsSenderId),
  smsMonthlySpendLimitUsd: z.coerce.number().positive().default(d.smsMonthlySpendLimitUsd),
  /** Apply sender ID, Transactional type and spend limit to the account's SNS SMS settings. */
  manageSmsAccountSettings: flag.default(d.manageSmsAccountSettings),
  /** 0: no reservation (accounts with a concurrency quota of 10 cannot reserve any). */
  signingApiReservedConcurrency: z.coerce.number().int().min(0).default(d.signingApiReservedConcurrency),
  apiRateLimit: z.coerce.number().positive().default(d.apiRateLimit),
  apiBurstLimit: z.coerce.number().int().positive().default(d.apiBurstLimit),
  /** S3 key of the sealing certificate chain (PEM) in the documents bucket. */
  sealChainKey: z.string().min(1).default(d.sealChainKey),
  sealKeyAlias: z
    .string()
    .regex(/^alias\/[A-Za-z0-9/_-]+$/)
    .default(d.sealKeyAlias),
  /** An existing KMS key (ARN) to seal with instead of the stack's own (e.g. an HSM-backed one). */
  sealKeyArn: optionalText,
  operatorEmail: email.optional(),
  webDistDir: z.string().default(d.webDistDir),
  logRetentionDays: z.coerce.number().int().positive().default(d.logRetentionDays),
  /** The seller printed on invoices (required for a real deployment: see docs/deploy.md "Top-ups"). */
  sellerName: optionalText,
  /** Postal address, lines separated by `|`. */
  sellerAddress: optionalText,
  sellerSiren: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z
      .string()
      .regex(/^\d{9}$/)
      .optional(),
  ),
  sellerVatNumber: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z
      .string()
      .regex(/^[A-Z]{2}[0-9A-Z]{2,13}$/)
      .optional(),
  ),
  vatRatePercent: z.coerce.number().min(0).max(100).default(d.vatRatePercent),
  invoicePrefix: z
    .string()
    .regex(/^[A-Z0-9]{1,12}$/)
    .default(d.invoicePrefix),
  /** Requests per second the payment webhook route accepts (Stripe sends a few). */
  paymentsWebhookRateLimit: z.coerce.number().positive().default(d.paymentsWebhookRateLimit),
  paymentsWebhookBurstLimit: z.coerce.number().int().positive().default(d.paymentsWebhookBurstLimit),
  /** RFC 3161 time-stamp services, comma-separated, tried in order: the seal is then PAdES B-T. */
  tsaUrls: z
    .preprocess(
      (value) => (Array.isArray(value) ? value.join(',') : (value ?? '')),
      z.string().transform((value) =>
        value
          .split(',')
          .map((item) => item.trim())
          .filter(Boolean),
      ),
    )
    .pipe(z.array(z.url()))
    .default([]),
});

export type DeploySettings = Omit<z.infer<typeof schema>, 'inboundAddress' | 'serviceAddress'> & {
  inboundAddress: string;
  serviceAddress: string;
  /** True when inboundDomain was not given: fine for synth, not for a real deployment. */
  usesExampleDomain: boolean;
};

export class DeploySettingsError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DeploySettingsError';
  }
}

/** Reads every key of the schema from the construct tree's context. */
export function readDeploySettings(node: Node): DeploySettings {
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(schema.shape)) {
    const value: unknown = node.tryGetContext(key);
    if (value !== undefined) raw[key] = value;
  }
  return parseDeploySettings(raw);
}

export function parseDeploySettings(raw: Record<string, unknown>): DeploySettings {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `-c ${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new DeploySettingsError(`Invalid mailsign deployment context: ${issues}. See docs/deploy.md.`, {
      cause: parsed.error,
    });
  }
  const s = parsed.data;
  if (Boolean(s.webDomainName) !== Boolean(s.webCertificateArn)) {
    throw new DeploySettingsError('Set both -c webDomainName and -c webCertificateArn (us-east-1), or neither.');
  }
  return {
    ...s,
    inboundAddress: s.inboundAddress ?? `sign@${s.inboundDomain}`,
    serviceAddress: s.serviceAddress ?? `noreply@${s.inboundDomain}`,
    publicUrl: s.publicUrl?.replace(/\/+$/, '') ?? (s.webDomainName ? `https://${s.webDomainName}` : undefined),
    usesExampleDomain: raw.inboundDomain === undefined,
  };
}
