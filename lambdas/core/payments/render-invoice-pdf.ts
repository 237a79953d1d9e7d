// The invoice as a one-page A4 PDF (French invoicing mentions, French then English labels):
// seller identity (name, address, SIREN, VAT number), buyer, number and issue date, the line
// excl. VAT, the VAT rate and amount, the total incl. VAT, and "Payée / Paid" with the payment
// reference. Text goes through the shared helpers (embedded subset Noto fonts, every script; wrapText),
// like the audit trail; headings are set larger rather than in a second (bold) font file.
import { PDFDocument, rgb, type PDFPage } from 'pdf-lib';
import { wrapText } from '../pdf/text-encoding.ts';
import { getDocumentFonts, type DocumentFonts } from '../pdf/unicode-fonts.ts';
import type { Invoice } from './invoice-records.ts';

const PAGE: [number, number] = [595.28, 841.89];
const MARGIN = 56;
const INK = rgb(0.12, 0.16, 0.22);
const MUTED = rgb(0.4, 0.45, 0.52);
const RULE = rgb(0.82, 0.85, 0.89);

export type RenderInvoicePdfOptions = { invoice: Invoice };

const euros = (cents: number) =>
  `${new Intl.NumberFormat('fr-FR', { minimumFractionDigits: 2, maximumFractionDigits: 2 })
    .format(cents / 100)
    .replace(/\u202f|\u00a0/g, ' ')} EUR`;
const percent = (basisPoints: number) =>
  `${new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 2 }).format(basisPoints / 100)} %`;
const day = (iso: string) =>
  new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeZone: 'Europe/Paris' }).format(new Date(iso));

export async function renderInvoicePdf({ invoice }: RenderInvoicePdfOptions): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const issued = new Date(invoice.issuedAt);
  doc.setTitle(`Facture / Invoice ${invoice.number}`);
  doc.setAuthor(invoice.seller.name);
  doc.setCreationDate(issued);
  doc.setModificationDate(issued);
  const fonts = getDocumentFonts({ doc });
  const page = doc.addPage(PAGE);
  const right = PAGE[0] - MARGIN;
  const text = (options: { value: string; x: number; y: number; size?: number; color?: typeof INK }) =>
    fonts.draw(page, options.value, {
      x: options.x,
      y: options.y,
      size: options.size ?? 10,
      color: options.color ?? INK,
    });
  const textRight = (options: { value: string; y: number; size?: number; x?: number }) => {
    const width = fonts.widthOf(options.value, options.size ?? 10);
    text({ ...options, x: (options.x ?? right) - width });
  };

  let y = PAGE[1] - MARGIN - 10;
  text({ value: 'FACTURE / INVOICE', x: MARGIN, y, size: 22 });
  textRight({ value: `N° ${invoice.number}`, y: y + 4, size: 12 });
  textRight({ value: `Date d’émission / Issue date : ${day(invoice.issuedAt)}`, y: y - 12, size: 9 });
  y -= 50;

  const column = (title: string, lines: string[], x: number, width: number, top: number) => {
    let at = top;
    text({ value: title, x, y: at, size: 8, color: MUTED });
    at -= 14;
    for (const line of lines)
      for (const wrapped of wrapText({ text: line, fonts, size: 10, maxWidth: width })) {
        text({ value: wrapped, x, y: at });
        at -= 13;
      }
    return at;
  };
  const half = (PAGE[0] - 2 * MARGIN - 24) / 2;
  const sellerEnd = column(
    'VENDEUR / SELLER',
    [
      invoice.seller.name,
      ...invoice.seller.address.split('\n'),
      `SIREN : ${invoice.seller.siren}`,
      `N° TVA / VAT no. : ${invoice.seller.vatNumber}`,
    ],
    MARGIN,
    half,
    y,
  );
  const buyerEnd = column('CLIENT / CUSTOMER', [invoice.email], MARGIN + half + 24, half, y);
  y = Math.min(sellerEnd, buyerEnd) - 24;

  // The single line, then the totals.
  const cols = { description: MARGIN, ht: right - 250, rate: right - 170, vat: right - 90, ttc: right };
  const rule = (at: number) =>
    page.drawLine({ start: { x: MARGIN, y: at }, end: { x: right, y: at }, thickness: 0.8, color: RULE });
  text({ value: 'Désignation / Description', x: cols.description, y, size: 8, color: MUTED });
  textRight({ value: 'HT / Excl. VAT', x: cols.ht, y, size: 8 });
  textRight({ value: 'TVA % / VAT %', x: cols.rate, y, size: 8 });
  textRight({ value: 'TVA / VAT', x: cols.vat, y, size: 8 });
  textRight({ value: 'TTC / Incl. VAT', x: cols.ttc, y, size: 8 });
  y -= 8;
  rule(y);
  y -= 16;
  const lines = wrapText({ text: invoice.description, fonts, size: 10, maxWidth: cols.ht - 90 - MARGIN });
  textRight({ value: euros(invoice.amountCents), x: cols.ht, y });
  textRight({ value: percent(invoice.vatRateBasisPoints), x: cols.rate, y });
  textRight({ value: euros(invoice.vatCents), x: cols.vat, y });
  textRight({ value: euros(invoice.totalCents), x: cols.ttc, y });
  for (const line of lines) {
    text({ value: line, x: cols.description, y });
    y -= 13;
  }
  y -= 6;
  rule(y);
  y -= 22;
  const total = (label: string, cents: number, size = 10) => {
    textRight({ value: label, x: cols.rate + 40, y, size });
    textRight({ value: euros(cents), y, size });
    y -= size + 8;
  };
  total('Total HT / Total excl. VAT', invoice.amountCents);
  total(`TVA / VAT ${percent(invoice.vatRateBasisPoints)}`, invoice.vatCents);
  total('Total TTC / Total incl. VAT', invoice.totalCents, 12);
  y -= 16;

  paidStamp(page, fonts, invoice, y);
  y -= 70;
  for (const line of [
    'Facture acquittée : aucun montant restant dû. Pas d’escompte pour paiement anticipé.',
    'Paid invoice: nothing remains due. No discount for early payment.',
    'Le montant HT est crédité sur le solde prépayé du compte client. / The ' +
      'amount excl. VAT is credited to the customer’s prepaid balance.',
  ])
    for (const wrapped of wrapText({ text: line, fonts, size: 8.5, maxWidth: right - MARGIN })) {
      text({ value: wrapped, x: MARGIN, y, size: 8.5, color: MUTED });
      y -= 12;
    }
  return doc.save({ useObjectStreams: false });
}

function paidStamp(page: PDFPage, fonts: DocumentFonts, invoice: Invoice, top: number): void {
  const green = rgb(0.08, 0.5, 0.27);
  page.drawRectangle({ x: MARGIN, y: top - 46, width: 300, height: 50, borderColor: green, borderWidth: 1.2 });
  fonts.draw(page, 'PAYÉE / PAID', { x: MARGIN + 12, y: top - 18, size: 14, color: green });
  const reference = `le / on ${day(invoice.paidAt)} · réf. paiement / payment ref. ${invoice.paymentReference}`;
  const size = Math.min(8.5, (276 / fonts.widthOf(reference, 8.5)) * 8.5);
  fonts.draw(page, reference, { x: MARGIN + 12, y: top - 36, size, color: green });
}
