// Invoices in the single table, and their numbers: `<prefix>-<year>-<6 digits>`, one unbroken
// chronological sequence per year (French invoicing rule: no gap, no duplicate).
// `INVOICES#<year>` / `INVOICE#<seq>` is the invoice itself: claiming a number IS issuing the
// invoice (one conditional put of the whole record), so a number can never be taken and left
// unused. Which number a top-up tries is reserved on the top-up first (`invoiceYear`,
// `invoiceSequence`), and moved on (conditionally, from exactly that number) only when the number
// belongs to another top-up; so a resumed or concurrent run finds the number it already holds.
// A copy under `ACCOUNT#<email>` / `INVOICE#<number>` lists the customer's invoices.
import { accountPk } from '../accounts/account-records.ts';
import { ConditionFailedError } from '../errors.ts';
import type { Clock, Store, StoreItem } from '../ports.ts';
import type { SellerIdentity } from './billing-settings.ts';
import { topupKey, type Topup } from './topup-records.ts';

export type Invoice = {
  number: string;
  year: number;
  sequence: number;
  issuedAt: string;
  topupId: string;
  /** The buyer: the account's email. */
  email: string;
  description: string;
  amountCents: number;
  vatCents: number;
  totalCents: number;
  vatRateBasisPoints: number;
  paymentReference: string;
  paidAt: string;
  seller: SellerIdentity;
};

const MAX_ATTEMPTS = 100;
export const INVOICE_DESCRIPTION = 'Recharge du compte prépayé de signatures / Prepaid signature account top-up';

const pad6 = (n: number) => String(n).padStart(6, '0');
export const invoicesPk = (year: number) => `INVOICES#${year}`;
export const invoiceKey = (year: number, sequence: number) => ({
  pk: invoicesPk(year),
  sk: `INVOICE#${pad6(sequence)}`,
});
export const accountInvoiceKey = (email: string, number: string) => ({ pk: accountPk(email), sk: `INVOICE#${number}` });
export const invoicePdfKey = (number: string) => `invoices/${number}.pdf`;

export function formatInvoiceNumber(options: { prefix: string; year: number; sequence: number }): string {
  return `${options.prefix}-${options.year}-${pad6(options.sequence)}`;
}

/** Invoices are dated in France: the year of the number is the year in Paris. */
export function invoiceYear(at: Date): number {
  return Number(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', year: 'numeric' }).format(at));
}

export function readInvoice(item: StoreItem): Invoice {
  const { pk: _pk, sk: _sk, kind: _kind, ...rest } = item;
  return rest as unknown as Invoice;
}

async function lastIssuedSequence(store: Store, year: number): Promise<number> {
  const [last] = await store.query(invoicesPk(year), { skPrefix: 'INVOICE#', descending: true, limit: 1 });
  return typeof last?.sequence === 'number' ? last.sequence : 0;
}

export type IssueInvoiceOptions = {
  store: Store;
  clock: Clock;
  topup: Topup;
  prefix: string;
  seller: SellerIdentity;
};

/** The top-up's invoice: the one it already holds, or the next number of the sequence, issued now. */
export async function issueInvoice(options: IssueInvoiceOptions): Promise<Invoice> {
  const { store, clock, topup } = options;
  const key = topupKey(topup.id);
  let { year, sequence } = await reserveCandidate(options);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
    const number = formatInvoiceNumber({ prefix: options.prefix, year, sequence });
    const invoice: Invoice = {
      number,
      year,
      sequence,
      issuedAt: clock.now().toISOString(),
      topupId: topup.id,
      email: topup.email,
      description: INVOICE_DESCRIPTION,
      amountCents: topup.amountCents,
      vatCents: topup.vatCents,
      totalCents: topup.totalCents,
      vatRateBasisPoints: topup.vatRateBasisPoints,
      paymentReference: topup.paymentReference ?? '',
      paidAt: topup.paidAt ?? clock.now().toISOString(),
      seller: options.seller,
    };
    try {
      await store.put({ ...invoiceKey(year, sequence), kind: 'invoice', ...invoice }, { ifNotExists: true });
      return invoice;
    } catch (error) {
      if (!(error instanceof ConditionFailedError)) throw error;
    }
    const holder = await store.get(invoiceKey(year, sequence));
    if (holder?.topupId === topup.id) return readInvoice(holder); // issued before a crash, or by a concurrent run
    const next = Math.max(sequence + 1, (await lastIssuedSequence(store, year)) + 1);
    try {
      await store.update(key, { set: { invoiceSequence: next }, expect: { invoiceSequence: sequence } });
      sequence = next;
    } catch (error) {
      if (!(error instanceof ConditionFailedError)) throw error;
      const moved = await store.get(key); // another run moved it: follow
      year = Number(moved?.invoiceYear);
      sequence = Number(moved?.invoiceSequence);
    }
  }
  throw new ConditionFailedError(`Could not take an invoice number for top-up ${topup.id}`);
}

async function reserveCandidate({
  store,
  clock,
  topup,
}: IssueInvoiceOptions): Promise<{ year: number; sequence: number }> {
  const key = topupKey(topup.id);
  const current = await store.get(key);
  if (typeof current?.invoiceSequence === 'number')
    return { year: Number(current.invoiceYear), sequence: current.invoiceSequence };
  const year = invoiceYear(clock.now());
  const sequence = (await lastIssuedSequence(store, year)) + 1;
  try {
    await store.update(key, {
      set: { invoiceYear: year, invoiceSequence: sequence },
      expectMissing: ['invoiceSequence'],
    });
    return { year, sequence };
  } catch (error) {
    if (!(error instanceof ConditionFailedError)) throw error;
    const reserved = await store.get(key);
    return { year: Number(reserved?.invoiceYear), sequence: Number(reserved?.invoiceSequence) };
  }
}

/** The customer's invoices, oldest first. */
export async function listAccountInvoices(store: Store, email: string): Promise<Invoice[]> {
  const items = await store.query(accountPk(email), { skPrefix: 'INVOICE#' });
  return items.map(readInvoice);
}
