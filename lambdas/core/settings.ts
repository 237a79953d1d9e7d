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
  /** Days after a signer's turn began before the automatic reminder (again after twice that); 3 when unset. */
  remindAfterDays?: number;
};

export const DEFAULT_REMIND_AFTER_DAYS = 3;

export const SIGNING_PAGE = 'sign.html';
export const ACCOUNT_PAGE = 'account.html';
