// The invoice's PDF and mail. The PDF is rendered from the invoice record (so it is the same
// whenever it is rendered), stored once under invoices/<number>.pdf and mailed with the number in
// the subject. pdf-lib is imported only when a PDF is actually rendered: the webhook and the
// customer-area API load it lazily, keeping it out of their cold start.
import type { Deps } from '../deps.ts';
import { composeServiceMail } from '../mail/compose-mail.ts';
import { ACCOUNT_PAGE } from '../settings.ts';
import { invoicePdfKey, type Invoice } from './invoice-records.ts';
import { formatEuros } from '../billing/format-euros.ts';

export type InvoicePdfOptions = { deps: Pick<Deps, 'documents'>; invoice: Invoice };

/** The stored PDF, rendered and stored first when it is not there yet. */
export async function loadInvoicePdf({ deps, invoice }: InvoicePdfOptions): Promise<Uint8Array> {
  const key = invoicePdfKey(invoice.number);
  const stored = await deps.documents.get(key);
  if (stored) return stored;
  const { renderInvoicePdf } = await import('./render-invoice-pdf.ts');
  const bytes = await renderInvoicePdf({ invoice });
  await deps.documents.put({ key, body: bytes, contentType: 'application/pdf' });
  return bytes;
}

export const invoiceFileName = (number: string) => `facture-invoice-${number}.pdf`;

export type DeliverInvoiceOptions = { deps: Deps; invoice: Invoice };

export async function deliverInvoice({ deps, invoice }: DeliverInvoiceOptions): Promise<void> {
  const pdf = await loadInvoicePdf({ deps, invoice });
  const raw = await composeServiceMail({
    from: { name: deps.settings.serviceName, address: deps.settings.serviceAddress },
    to: [{ address: invoice.email }],
    subject: { fr: `Facture ${invoice.number}`, en: `Invoice ${invoice.number}` },
    paragraphs: {
      fr: [
        `Merci : votre paiement de ${formatEuros(invoice.totalCents, 'fr-FR')} TTC est ` +
          'reçu et votre solde prépayé est crédité ' +
          `de ${formatEuros(invoice.amountCents, 'fr-FR')} HT.`,
        `Votre facture ${invoice.number} (acquittée) est jointe ; ` +
          'elle reste téléchargeable dans votre espace client.',
      ],
      en: [
        `Thank you: your payment of ${formatEuros(invoice.totalCents, 'en-GB')} incl. ` +
          'VAT is received and your prepaid balance is credited ' +
          `with ${formatEuros(invoice.amountCents, 'en-GB')} excl. VAT.`,
        `Your invoice ${invoice.number} (paid) is attached; it stays downloadable in your customer area.`,
      ],
    },
    action: {
      url: `${deps.settings.publicUrl}/${ACCOUNT_PAGE}`,
      label: { fr: 'Mon espace client', en: 'My customer area' },
    },
    attachments: [{ filename: invoiceFileName(invoice.number), content: pdf, contentType: 'application/pdf' }],
    date: deps.clock.now(),
  });
  await deps.mailer.send({ from: deps.settings.serviceAddress, to: [invoice.email], raw });
}
