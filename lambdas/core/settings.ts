// The settings the domain needs, decoupled from how a runtime reads them (config.ts maps them).

export type ServiceSettings = {
  /** Base of every link in emails, without trailing slash. */
  publicUrl: string;
  /** The From address of every mail the service sends (lowercase). */
  serviceAddress: string;
  serviceName: string;
  /** Other addresses that belong to the service: never signers. */
  inboundAddresses: string[];
  /** Domains whose mailboxes are customers; empty: every authenticated sender is one. */
  customerDomains: string[];
  linkTtlDays: number;
  retentionDays: number;
  closedAccountGraceDays: number;
};

export const SIGNING_PAGE = 'sign.html';
export const ACCOUNT_PAGE = 'account.html';
