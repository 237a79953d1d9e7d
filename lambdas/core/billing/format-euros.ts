// Amounts in mail text: "12,50 €" / "€12.50". Narrow and non-breaking spaces become plain ones,
// which every mail client and the plain-text part render alike.

export function formatEuros(cents: number, locale: 'fr-FR' | 'en-GB'): string {
  return new Intl.NumberFormat(locale, { style: 'currency', currency: 'EUR' })
    .format(cents / 100)
    .replace(/\u202f|\u00a0/g, ' ');
}
