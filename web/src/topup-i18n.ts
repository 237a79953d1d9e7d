// The words of the customer area's top-up and invoices, French and English.
import { lang, onLang } from './locale.ts';

const fr = {
  topupTitle: 'Recharger / Top up',
  topupIntro:
    'Ajoutez du crédit prépayé par carte. Le montant choisi (HT) est crédité ' +
    'sur votre solde ; une facture vous est envoyée.',
  otherAmount: 'Autre montant (€ HT, de 10 à 1 000)',
  excludingVat: 'Montant HT',
  vat: (rate: string) => `TVA ${rate}`,
  total: 'Total TTC',
  pay: (total: string) => `Payer ${total}`,
  amountInvalid: 'Choisissez un montant de 10 à 1 000 € HT, au centime près.',
  inactive: 'Ce compte n’est pas actif : il ne peut pas être rechargé.',
  startFailed: 'Le paiement n’a pas pu démarrer. Réessayez dans un instant.',
  paidTitle: 'Paiement reçu',
  paidWaiting: 'Paiement reçu, crédit en cours d’enregistrement…',
  paidDone: (amount: string, balance: string, invoice: string) =>
    `${amount} HT crédités. Nouveau solde : ${balance}. Facture ${invoice} envoyée par e-mail.`,
  canceledTitle: 'Paiement annulé',
  canceledBody: 'Rien n’a été débité ni crédité.',
  invoicesTitle: 'Factures',
  noInvoices: 'Aucune facture pour l’instant.',
  download: 'Télécharger',
  incl: 'TTC',
};

export type TopupMessages = typeof fr;

const en: TopupMessages = {
  topupTitle: 'Top up / Recharger',
  topupIntro:
    'Add prepaid credit by card. The amount chosen (excl. VAT) is credited ' +
    'to your balance; an invoice is emailed to you.',
  otherAmount: 'Other amount (€ excl. VAT, 10 to 1,000)',
  excludingVat: 'Amount excl. VAT',
  vat: (rate: string) => `VAT ${rate}`,
  total: 'Total incl. VAT',
  pay: (total: string) => `Pay ${total}`,
  amountInvalid: 'Choose an amount from €10 to €1,000 excl. VAT, in whole cents.',
  inactive: 'This account is not active: it cannot be topped up.',
  startFailed: 'The payment could not start. Try again in a moment.',
  paidTitle: 'Payment received',
  paidWaiting: 'Payment received, recording the credit…',
  paidDone: (amount: string, balance: string, invoice: string) =>
    `${amount} excl. VAT credited. New balance: ${balance}. Invoice ${invoice} emailed to you.`,
  canceledTitle: 'Payment canceled',
  canceledBody: 'Nothing was charged or credited.',
  invoicesTitle: 'Invoices',
  noInvoices: 'No invoice yet.',
  download: 'Download',
  incl: 'incl. VAT',
};

export const TOPUP_MESSAGES = { fr, en };

export const tm = (): TopupMessages => TOPUP_MESSAGES[lang()];

/** A text node in the current language, updated on every switch. */
export function tt(pick: (x: TopupMessages) => string): Text {
  const node = document.createTextNode('');
  onLang(() => {
    node.data = pick(tm());
  });
  return node;
}
