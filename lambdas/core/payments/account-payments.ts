// What the customer area reads about payments with a session: one top-up (to show the outcome when
// the checkout sends the customer back), the invoices, and an invoice's PDF (only the buyer's).
import { resolveAccountSession } from '../accounts/account-login.ts';
import { getAccount } from '../accounts/account-records.ts';
import type { Deps } from '../deps.ts';
import { DomainError } from '../errors.ts';
import type { SigningDocument } from '../signing/get-signing-document.ts';
import { invoiceFileName, loadInvoicePdf } from './deliver-invoice.ts';
import { accountInvoiceKey, listAccountInvoices, readInvoice } from './invoice-records.ts';
import { getTopup, type TopupStatus } from './topup-records.ts';
import type { InvoiceSummary } from '../api/api-types.ts';

type SessionOptions = { deps: Deps; token: string | undefined };

export const accountInvoiceUrl = (number: string) => `/api/account/invoices/${encodeURIComponent(number)}`;

export type { InvoiceSummary };

export async function listInvoices(options: SessionOptions): Promise<{ invoices: InvoiceSummary[] }> {
  const email = await resolveAccountSession(options);
  const invoices = await listAccountInvoices(options.deps.store, email);
  return {
    invoices: invoices.map((i) => ({
      number: i.number,
      issuedAt: i.issuedAt,
      amountCents: i.amountCents,
      vatCents: i.vatCents,
      totalCents: i.totalCents,
      url: accountInvoiceUrl(i.number),
    })),
  };
}

export async function getInvoiceDocument(options: SessionOptions & { number: string }): Promise<SigningDocument> {
  const email = await resolveAccountSession(options);
  const item = await options.deps.store.get(accountInvoiceKey(email, options.number));
  // Someone else's invoice and no invoice answer alike.
  if (!item)
    throw new DomainError({ code: 'DOCUMENT_NOT_FOUND', message: 'There is no such invoice on this account.' });
  const invoice = readInvoice(item);
  const bytes = await loadInvoicePdf({ deps: options.deps, invoice });
  return { kind: 'bytes', name: invoiceFileName(invoice.number), contentType: 'application/pdf', bytes };
}

export type TopupView = {
  id: string;
  status: TopupStatus;
  amountCents: number;
  vatCents: number;
  totalCents: number;
  /** Once the credit is recorded. */
  credited: boolean;
  invoiceNumber?: string;
  balanceCents: number;
};

export async function getTopupView(options: SessionOptions & { id: string }): Promise<TopupView> {
  const email = await resolveAccountSession(options);
  const topup = await getTopup(options.deps.store, options.id);
  if (!topup || topup.email !== email)
    throw new DomainError({ code: 'NOT_FOUND', message: 'There is no such top-up on this account.' });
  const account = await getAccount(options.deps.store, email);
  return {
    id: topup.id,
    status: topup.status,
    amountCents: topup.amountCents,
    vatCents: topup.vatCents,
    totalCents: topup.totalCents,
    credited: topup.creditedAt !== undefined,
    ...(topup.creditedAt !== undefined && topup.invoiceNumber !== undefined && { invoiceNumber: topup.invoiceNumber }),
    balanceCents: account?.balanceCents ?? 0,
  };
}
