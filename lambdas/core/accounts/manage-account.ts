// Administration of customer accounts (the `mailsign account` commands): credit, show, and the
// status changes. Closing records `closedAt` and indexes the account for the retention job.
import { countRecentSignatures } from '../billing/signature-records.ts';
import { DomainError } from '../errors.ts';
import type { Clock, Store } from '../ports.ts';
import {
  accountKey,
  appendLedgerEntry,
  closedAccountKey,
  ensureAccount,
  getAccount,
  listLedger,
  normalizeEmail,
  requireAccount,
  type AccountStatus,
  type LedgerEntry,
} from './account-records.ts';

type AccountDeps = { store: Store; clock: Clock };

export type CreditAccountOptions = AccountDeps & {
  email: string;
  amountCents: number;
  /**
   * Create the account when there is none (the default, e.g. for intake's first request); false:
   * an unknown address is NOT_FOUND (an operator's typo must not open an account).
   */
  createIfMissing?: boolean;
};

/** Adds prepaid credit. */
export async function creditAccount(options: CreditAccountOptions): Promise<LedgerEntry> {
  if (!Number.isInteger(options.amountCents) || options.amountCents <= 0) {
    throw new DomainError({ code: 'BAD_REQUEST', message: 'A credit must be a positive amount of cents.' });
  }
  const email = normalizeEmail(options.email);
  if (options.createIfMissing ?? true) await ensureAccount({ store: options.store, clock: options.clock, email });
  else requireAccount(await getAccount(options.store, email), email);
  return appendLedgerEntry({ store: options.store, clock: options.clock, email, amountCents: options.amountCents });
}

export type AccountSummary = {
  email: string;
  status: AccountStatus;
  balanceCents: number;
  signaturesLast30Days: number;
  ledger: LedgerEntry[];
  createdAt: string;
  closedAt?: string;
};

export type ShowAccountOptions = AccountDeps & { email: string };

export async function showAccount(options: ShowAccountOptions): Promise<AccountSummary> {
  const email = normalizeEmail(options.email);
  const account = requireAccount(await getAccount(options.store, email), email);
  return {
    email,
    status: account.status,
    balanceCents: account.balanceCents,
    signaturesLast30Days: await countRecentSignatures({ store: options.store, email, now: options.clock.now() }),
    ledger: await listLedger(options.store, email),
    createdAt: account.createdAt,
    ...(account.closedAt !== undefined && { closedAt: account.closedAt }),
  };
}

export type SetAccountStatusOptions = AccountDeps & { email: string; status: AccountStatus };

/** suspend (status suspended), close (closed, retention clock starts), reopen (active again). */
export async function setAccountStatus(options: SetAccountStatusOptions): Promise<AccountStatus> {
  const email = normalizeEmail(options.email);
  const { store } = options;
  const account = requireAccount(await getAccount(store, email), email);
  const now = options.clock.now().toISOString();
  if (options.status === 'closed') {
    if (account.status === 'closed') return 'closed';
    // The index first: a crash in between leaves an index entry the job skips (account not closed).
    await store.put({ ...closedAccountKey(email), kind: 'closed-account', email, closedAt: now });
    await store.update(accountKey(email), { set: { status: 'closed', closedAt: now, updatedAt: now } });
    return 'closed';
  }
  await store.update(accountKey(email), { set: { status: options.status, updatedAt: now }, remove: ['closedAt'] });
  await store.delete(closedAccountKey(email));
  return options.status;
}
