// What a verified payment event does. `paid` credits the account exactly once per top-up (one
// checkout session per top-up), whatever the number of deliveries, their order, or a crash between
// steps. Every step is one conditional write or idempotent, and a redelivery runs them again:
//  1. the top-up is marked paid (from not-paid only), with the account's ledger position before it
//     and a PENDING-PAYMENTS entry written first (the daily job resumes what a crash left);
//  2. the invoice is issued: the next number of the unbroken sequence (invoice-records.ts);
//  3. the account is credited: appendLedgerEntry looks for this top-up's credit among the entries
//     after that position under the same `ledgerSeq` its conditional append expects;
//  4. the invoice PDF is rendered, stored and mailed (deliver-invoice.ts), then the entry removed.
// The account's status does not matter here: money received is credited even if the account was
// suspended or closed since. `expired`/`canceled` close an open top-up and credit nothing.
import { accountPk, appendLedgerEntry, getAccount, ledgerKey, type LedgerEntry } from '../accounts/account-records.ts';
import { ConditionFailedError } from '../errors.ts';
import type { PaymentEvent, StoreItem } from '../ports.ts';
import type { PaymentDeps } from './billing-settings.ts';
import { deliverInvoice } from './deliver-invoice.ts';
import { accountInvoiceKey, issueInvoice, type Invoice } from './invoice-records.ts';
import { getTopup, pendingPaymentKey, topupKey, type Topup } from './topup-records.ts';

export type PaymentOutcome =
  | { outcome: 'credited'; topupId: string; invoiceNumber: string; balanceAfterCents: number }
  | { outcome: 'closed'; topupId: string }
  /** Verified but not acted on: another event type, an unknown top-up, a session that does not match. */
  | { outcome: 'ignored'; reason: string };

export type RecordPaymentEventOptions = { deps: PaymentDeps; event: PaymentEvent };

export async function recordPaymentEvent({ deps, event }: RecordPaymentEventOptions): Promise<PaymentOutcome> {
  if (event.kind === 'ignored') return { outcome: 'ignored', reason: `event type ${event.type}` };
  const topup = await getTopup(deps.store, event.topupId);
  if (!topup) return { outcome: 'ignored', reason: 'unknown top-up' };
  if (topup.sessionId !== undefined && topup.sessionId !== event.sessionId)
    return { outcome: 'ignored', reason: 'another checkout session' };
  if (event.kind === 'closed') {
    await closeTopup(deps, topup);
    return { outcome: 'closed', topupId: topup.id };
  }
  if (event.currency.toLowerCase() !== 'eur' || event.amountTotalCents !== topup.totalCents)
    return { outcome: 'ignored', reason: 'amount or currency differs from the top-up' };
  const paid = await markPaid(deps, topup, event);
  return completePayment({ deps, topup: paid });
}

async function closeTopup(deps: PaymentDeps, topup: Topup): Promise<void> {
  try {
    await deps.store.update(topupKey(topup.id), {
      set: { status: 'closed', closedAt: deps.clock.now().toISOString() },
      expect: { status: 'open' },
      expectMissing: ['paidAt'],
    });
  } catch (error) {
    if (!(error instanceof ConditionFailedError)) throw error; // paid or closed already: nothing to do
  }
}

async function markPaid(deps: PaymentDeps, topup: Topup, event: Extract<PaymentEvent, { kind: 'paid' }>) {
  if (topup.paidAt !== undefined) return topup;
  const account = await getAccount(deps.store, topup.email);
  const now = deps.clock.now().toISOString();
  await deps.store.put({ ...pendingPaymentKey(topup.id), kind: 'pending-payment', since: now });
  try {
    await deps.store.update(topupKey(topup.id), {
      set: {
        status: 'paid',
        paidAt: now,
        sessionId: event.sessionId,
        paymentReference: event.paymentReference,
        ledgerFrom: account?.ledgerSeq ?? 0,
      },
      expectMissing: ['paidAt'],
    });
  } catch (error) {
    if (!(error instanceof ConditionFailedError)) throw error; // a concurrent delivery marked it
  }
  return (await getTopup(deps.store, topup.id)) as Topup;
}

/** Finishing a payment needs no payment provider: only the store, mail and the billing settings. */
export type CompletePaymentOptions = { deps: Omit<PaymentDeps, 'payments'>; topup: Topup };

/** Steps 2 to 4 for a top-up marked paid; safe to run again at any point (redelivery, daily job). */
export async function completePayment({ deps, topup }: CompletePaymentOptions): Promise<PaymentOutcome> {
  const { store, clock } = deps;
  const invoice = await issueInvoice({
    store,
    clock,
    topup,
    prefix: deps.billing.invoicePrefix,
    seller: deps.billing.seller,
  });
  if (topup.invoiceNumber === undefined)
    await store.update(topupKey(topup.id), { set: { invoiceNumber: invoice.number } });
  await store.put({ ...accountInvoiceKey(topup.email, invoice.number), kind: 'account-invoice', ...invoice });
  const entry = await creditOnce(deps, topup, invoice);
  if (topup.creditedAt === undefined) await setOnce(deps, topup.id, 'creditedAt');
  if (topup.invoiceMailedAt === undefined) {
    await deliverInvoice({ deps, invoice });
    await setOnce(deps, topup.id, 'invoiceMailedAt');
  }
  await store.delete(pendingPaymentKey(topup.id));
  return {
    outcome: 'credited',
    topupId: topup.id,
    invoiceNumber: invoice.number,
    balanceAfterCents: entry.balanceAfterCents,
  };
}

const toLedgerEntry = ({ pk: _pk, sk: _sk, kind: _kind, ...entry }: StoreItem) => entry as unknown as LedgerEntry;

function creditOnce(deps: Omit<PaymentDeps, 'payments'>, topup: Topup, invoice: Invoice): Promise<LedgerEntry> {
  const { store, clock } = deps;
  const email = topup.email;
  return appendLedgerEntry({
    store,
    clock,
    email,
    amountCents: topup.amountCents,
    topupId: topup.id,
    invoiceNumber: invoice.number,
    findExisting: async ({ ledgerSeq }) => {
      const from = topup.ledgerFrom ?? 0;
      if (ledgerSeq <= from) return undefined;
      const entries = await store.query(accountPk(email), {
        skFrom: ledgerKey(email, from + 1).sk,
        skTo: ledgerKey(email, ledgerSeq).sk,
      });
      const found = entries.find((item) => item.topupId === topup.id);
      return found ? toLedgerEntry(found) : undefined;
    },
  });
}

async function setOnce(
  deps: Omit<PaymentDeps, 'payments'>,
  id: string,
  attribute: 'creditedAt' | 'invoiceMailedAt',
): Promise<void> {
  try {
    await deps.store.update(topupKey(id), {
      set: { [attribute]: deps.clock.now().toISOString() },
      expectMissing: [attribute],
    });
  } catch (error) {
    if (!(error instanceof ConditionFailedError)) throw error;
  }
}

/** The daily job's part: resumes every paid top-up a crash left unfinished. Never throws for one. */
export async function completePendingPayments(
  deps: Omit<PaymentDeps, 'payments'>,
): Promise<{ completed: string[]; failed: string[] }> {
  const report = { completed: [] as string[], failed: [] as string[] };
  for (const entry of await deps.store.query('PENDING-PAYMENTS')) {
    try {
      const topup = await getTopup(deps.store, entry.sk);
      const recent = Date.parse(String(entry.since)) > deps.clock.now().getTime() - 3_600_000;
      if (!topup?.paidAt && recent) continue; // a delivery may be marking it right now
      if (!topup?.paidAt) {
        await deps.store.delete(pendingPaymentKey(entry.sk)); // the mark never happened: nothing paid here
        continue;
      }
      await completePayment({ deps, topup });
      report.completed.push(entry.sk);
    } catch {
      report.failed.push(entry.sk);
    }
  }
  return report;
}
