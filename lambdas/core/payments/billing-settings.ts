// What invoicing needs to know about the seller and the tax, decoupled from how a runtime reads it
// (config.ts on AWS, sample values on the local stack), and the ports a payment use case needs.
import type { Deps } from '../deps.ts';
import type { PaymentProvider } from '../ports.ts';

export type SellerIdentity = {
  name: string;
  /** Postal address, lines separated by newlines. */
  address: string;
  siren: string;
  vatNumber: string;
};

export type BillingSettings = {
  /** VAT rate in basis points: 2000 is 20 %. */
  vatRateBasisPoints: number;
  /** Invoice numbers are `<prefix>-<year>-<6 digits>`. */
  invoicePrefix: string;
  seller: SellerIdentity;
};

export type PaymentDeps = Deps & { payments: PaymentProvider; billing: BillingSettings };

/** Sample seller for the local stack and tests: plainly not a real company. */
export const SAMPLE_SELLER: SellerIdentity = {
  name: 'mailsign (exemple local / local sample)',
  address: '1 rue de l’Exemple\n75001 Paris\nFrance',
  siren: '000000000',
  vatNumber: 'FR00000000000',
};
