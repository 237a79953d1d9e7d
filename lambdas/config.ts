// The only reader of process.env: validates the configuration once and fails fast with a
// message that names the missing or malformed variable.
import { z } from 'zod';
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
  MAILSIGN_SMS_SENDER_ID: z.string().default('mailsign'),
  MAILSIGN_STATE_MACHINE_ARN: z.string().optional(),
  MAILSIGN_SEAL_KEY_ID: z.string().optional(),
  /** Where the sealing certificate chain (PEM) is read from: an S3 key in the documents bucket. */
  MAILSIGN_SEAL_CHAIN_KEY: z.string().default('config/seal-chain.pem'),
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
  smsSenderId: string;
  stateMachineArn?: string;
  sealKeyId?: string;
  sealChainKey: string;
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
    smsSenderId: e.MAILSIGN_SMS_SENDER_ID,
    stateMachineArn: e.MAILSIGN_STATE_MACHINE_ARN,
    sealKeyId: e.MAILSIGN_SEAL_KEY_ID,
    sealChainKey: e.MAILSIGN_SEAL_CHAIN_KEY,
    region: e.AWS_REGION,
  };
}

const localSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  SMTP_PORT: z.coerce.number().int().min(0).max(65535).default(2525),
  MAILSIGN_HOST: z.string().default('127.0.0.1'),
  MAILSIGN_DATA_DIR: z.string().default('./.mailsign'),
  MAILSIGN_PUBLIC_URL: z.url().optional(),
});

export type LocalConfig = {
  port: number;
  smtpPort: number;
  host: string;
  dataDir: string;
  /** Undefined means "http://localhost:<actual port>", known once the server listens. */
  publicUrl?: string;
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
