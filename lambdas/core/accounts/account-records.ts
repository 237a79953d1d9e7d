// Customer accounts in the single table: `ACCOUNT#<email>` holds the account item (sk ACCOUNT),
// its envelope index (ENV#...), ledger (LEDGER#<seq>) and signature records (SIG#, SIGSEQ#,
// SIGAT#). Every balance change goes through appendLedgerEntry: one conditional update on the
// account (optimistic on `ledgerSeq`), so concurrent credits and debits never lose an update.
import { ConditionFailedError, DomainError } from '../errors.ts';
import type { Clock, Store, StoreItem } from '../ports.ts';
import { parseRecord } from '../records/parse-record.ts';
import { accountSchema, ledgerEntrySchema } from '../records/record-schemas.ts';

export type AccountStatus = 'active' | 'suspended' | 'closed';

export type Account = {
  email: string;
  status: AccountStatus;
  balanceCents: number;
  /** Number of ledger entries written; the next entry is LEDGER#<ledgerSeq + 1>. */
  ledgerSeq: number;
  createdAt: string;
  updatedAt: string;
  closedAt?: string;
  /** Set once retention deleted the documents of a closed account. */
  purgedAt?: string;
};

export type LedgerEntry = {
  at: string;
  type: 'credit' | 'debit';
  /** Credits positive, debits negative. */
  amountCents: number;
  balanceAfterCents: number;
  envelopeId?: string;
  signatureId?: string;
  /** A paid top-up's credit names the top-up and its invoice. */
  topupId?: string;
  invoiceNumber?: string;
};

export const accountPk = (email: string) => `ACCOUNT#${email}`;
export const accountKey = (email: string) => ({ pk: accountPk(email), sk: 'ACCOUNT' });
const pad = (n: number) => String(n).padStart(10, '0');
export const ledgerKey = (email: string, seq: number) => ({ pk: accountPk(email), sk: `LEDGER#${pad(seq)}` });

/** Index of closed accounts, walked by the retention job. */
export const closedAccountKey = (email: string) => ({ pk: 'CLOSED-ACCOUNTS', sk: email });

const MAX_ATTEMPTS = 50;

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

function toAccount(item: StoreItem): Account {
  const { pk: _pk, sk: _sk, kind: _kind, lastLedger: _last, ...rest } = item;
  return parseRecord<Account>({ schema: accountSchema, record: 'account', item: rest });
}

export async function getAccount(store: Store, email: string): Promise<Account | undefined> {
  const item = await store.get(accountKey(email));
  return item ? toAccount(item) : undefined;
}

/** Whether this sender may be a customer: any sender locally, the customer domains on AWS. */
export function isCustomerAddress(email: string, customerDomains: string[]): boolean {
  if (customerDomains.length === 0) return true;
  return customerDomains.includes(email.slice(email.lastIndexOf('@') + 1).toLowerCase());
}

export type EnsureAccountOptions = { store: Store; clock: Clock; email: string };

/** The account, created active with a zero balance on first use (a conditional put: one wins). */
export async function ensureAccount({ store, clock, email }: EnsureAccountOptions): Promise<Account> {
  const existing = await getAccount(store, email);
  if (existing) return existing;
  const now = clock.now().toISOString();
  const account: Account = { email, status: 'active', balanceCents: 0, ledgerSeq: 0, createdAt: now, updatedAt: now };
  try {
    await store.put({ ...accountKey(email), kind: 'account', ...account }, { ifNotExists: true });
    return account;
  } catch (error) {
    if (!(error instanceof ConditionFailedError)) throw error;
    return (await getAccount(store, email)) as Account;
  }
}

export function requireAccount(account: Account | undefined, email: string): Account {
  if (!account) throw new DomainError({ code: 'NOT_FOUND', message: `No account for ${email}.` });
  return account;
}

/**
 * Writes the ledger entry of the last balance change when a crash left it only on the account
 * (the account update carries it as `lastLedger`, so the change and its entry cannot diverge).
 */
async function settleLastEntry(store: Store, item: StoreItem): Promise<void> {
  const seq = item.ledgerSeq;
  const last =
    item.lastLedger === undefined
      ? undefined
      : parseRecord<LedgerEntry>({ schema: ledgerEntrySchema, record: 'ledger entry', item: item.lastLedger });
  if (typeof seq !== 'number' || seq === 0 || !last) return;
  const key = ledgerKey(String(item.email), seq);
  if (!(await store.get(key))) await store.put({ ...key, kind: 'ledger', ...last });
}

export type AppendLedgerEntryOptions = {
  store: Store;
  clock: Clock;
  email: string;
  amountCents: number;
  envelopeId?: string;
  signatureId?: string;
  topupId?: string;
  invoiceNumber?: string;
  /**
   * An entry already recorded for the same purpose (e.g. this signature's debit), looked up under
   * the same `ledgerSeq` the append is conditional on: when found, nothing is appended.
   */
  findExisting?: (options: { ledgerSeq: number }) => Promise<LedgerEntry | undefined>;
};

/** Applies one credit or debit to the balance and records its ledger entry. */
export async function appendLedgerEntry(options: AppendLedgerEntryOptions): Promise<LedgerEntry> {
  const { store, email } = options;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
    const item = await store.get(accountKey(email));
    if (!item) throw new DomainError({ code: 'NOT_FOUND', message: `No account for ${email}.` });
    await settleLastEntry(store, item);
    const seq = Number(item.ledgerSeq ?? 0);
    const existing = await options.findExisting?.({ ledgerSeq: seq });
    if (existing) return existing;
    const entry: LedgerEntry = {
      at: options.clock.now().toISOString(),
      type: options.amountCents >= 0 ? 'credit' : 'debit',
      amountCents: options.amountCents,
      balanceAfterCents: Number(item.balanceCents ?? 0) + options.amountCents,
      ...(options.envelopeId !== undefined && { envelopeId: options.envelopeId }),
      ...(options.signatureId !== undefined && { signatureId: options.signatureId }),
      ...(options.topupId !== undefined && { topupId: options.topupId }),
      ...(options.invoiceNumber !== undefined && { invoiceNumber: options.invoiceNumber }),
    };
    try {
      await store.update(accountKey(email), {
        set: { balanceCents: entry.balanceAfterCents, ledgerSeq: seq + 1, lastLedger: entry, updatedAt: entry.at },
        expect: { ledgerSeq: seq },
      });
    } catch (error) {
      if (error instanceof ConditionFailedError) continue; // another change won: read again
      throw error;
    }
    await store.put({ ...ledgerKey(email, seq + 1), kind: 'ledger', ...entry });
    return entry;
  }
  throw new DomainError({ code: 'CONFLICT', message: 'The account is too busy right now; try again.' });
}

/** The ledger, oldest entry first. */
export async function listLedger(store: Store, email: string): Promise<LedgerEntry[]> {
  const item = await store.get(accountKey(email));
  if (item) await settleLastEntry(store, item);
  const items = await store.query(accountPk(email), { skPrefix: 'LEDGER#' });
  return items.map(({ pk: _pk, sk: _sk, kind: _kind, ...entry }) =>
    parseRecord<LedgerEntry>({ schema: ledgerEntrySchema, record: 'ledger entry', item: entry }),
  );
}
