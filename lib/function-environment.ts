// The environment every handler starts with: the contract with lambdas/config.ts, which alone reads
// it (zod-validated). Built once from the deploy settings and the stacks' resource names.
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { DeploySettingsError, type DeploySettings } from './deploy-settings.ts';
import type { StatefulStack } from './stateful-stack.ts';

export type FunctionEnvironmentOptions = {
  settings: DeploySettings;
  data: StatefulStack;
  /** Base of the links in mails: the configured public URL, else the web distribution's origin. */
  publicUrl: string;
  rawMailBucket: s3.IBucket;
  documentsBucket: s3.IBucket;
};

export function createFunctionEnvironment(options: FunctionEnvironmentOptions): Record<string, string> {
  const { settings, data, publicUrl, rawMailBucket, documentsBucket } = options;
  return {
    MAILSIGN_PUBLIC_URL: publicUrl,
    MAILSIGN_SERVICE_ADDRESS: settings.serviceAddress,
    MAILSIGN_SERVICE_NAME: settings.serviceName,
    MAILSIGN_INBOUND_ADDRESSES: settings.inboundAddress,
    MAILSIGN_CUSTOMER_DOMAINS: settings.customerDomains.join(','),
    MAILSIGN_TABLE: data.table.tableName,
    MAILSIGN_RAW_BUCKET: rawMailBucket.bucketName,
    MAILSIGN_RAW_PREFIX: settings.rawPrefix,
    MAILSIGN_DOCUMENTS_BUCKET: documentsBucket.bucketName,
    MAILSIGN_LINK_TTL_DAYS: String(settings.linkTtlDays),
    MAILSIGN_RETENTION_DAYS: String(settings.retentionDays),
    MAILSIGN_CLOSED_ACCOUNT_GRACE_DAYS: String(settings.closedAccountGraceDays),
    MAILSIGN_REMIND_AFTER_DAYS: String(settings.remindAfterDays),
    MAILSIGN_SMS_SENDER_ID: settings.smsSenderId,
    MAILSIGN_SEAL_CHAIN_KEY: settings.sealChainKey,
    ...paymentEnvironment(settings),
    MAILSIGN_TSA_URLS: settings.tsaUrls.join(','),
  };
}

/** The seller and VAT of invoices; a real deployment (its own inbound domain) must name the seller. */
function paymentEnvironment(settings: DeploySettings): Record<string, string> {
  const seller = {
    MAILSIGN_SELLER_NAME: settings.sellerName,
    MAILSIGN_SELLER_ADDRESS: settings.sellerAddress,
    MAILSIGN_SELLER_SIREN: settings.sellerSiren,
    MAILSIGN_SELLER_VAT_NUMBER: settings.sellerVatNumber,
  };
  const missing = Object.entries(seller).filter(([, value]) => !value);
  if (missing.length > 0 && !settings.usesExampleDomain)
    throw new DeploySettingsError(
      'Invoices need the seller identity: set -c sellerName, -c sellerAddress ' +
        '(lines separated by |), -c sellerSiren and -c sellerVatNumber ' +
        '(docs/deploy.md "Top-ups").',
    );
  return {
    ...Object.fromEntries(Object.entries(seller).filter((entry): entry is [string, string] => Boolean(entry[1]))),
    MAILSIGN_VAT_RATE_PERCENT: String(settings.vatRatePercent),
    MAILSIGN_INVOICE_PREFIX: settings.invoicePrefix,
  };
}
