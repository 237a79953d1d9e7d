// One warning mail when a signature's debit takes the prepaid balance under the price of 5
// signatures: only the debit that crosses the line warns (the balance before it was at or above,
// after it below), so a run of signatures below the line sends nothing more, and a top-up followed
// by another crossing warns again. A marker per crossing debit (conditional put) keeps a repeated
// call for the same signature from mailing twice.
import { accountPk } from '../accounts/account-records.ts';
import type { Deps } from '../deps.ts';
import { ConditionFailedError } from '../errors.ts';
import { composeServiceMail } from '../mail/compose-mail.ts';
import { ACCOUNT_PAGE } from '../settings.ts';
import { SIGNATURE_PRICE_CENTS } from './billing-rule.ts';
import type { SignatureCharge } from './charge-signature.ts';
import { formatEuros } from './format-euros.ts';

export const LOW_BALANCE_SIGNATURES = 5;
export const LOW_BALANCE_THRESHOLD_CENTS = LOW_BALANCE_SIGNATURES * SIGNATURE_PRICE_CENTS;

/** The customer area's top-up card. */
export const topupPageUrl = (publicUrl: string) => `${publicUrl}/${ACCOUNT_PAGE}#topup`;

export function crossesLowBalance(options: { amountCents: number; balanceAfterCents: number }): boolean {
  const before = options.balanceAfterCents + options.amountCents;
  return before >= LOW_BALANCE_THRESHOLD_CENTS && options.balanceAfterCents < LOW_BALANCE_THRESHOLD_CENTS;
}

export type WarnLowBalanceOptions = { deps: Deps; email: string; charge: SignatureCharge };

/** Mails the warning when this charge crossed the line; true when a mail was sent. */
export async function warnLowBalance({ deps, email, charge }: WarnLowBalanceOptions): Promise<boolean> {
  if (charge.state !== 'decided' || charge.amountCents <= 0 || charge.balanceAfterCents === undefined) return false;
  const balanceAfterCents = charge.balanceAfterCents;
  if (!crossesLowBalance({ amountCents: charge.amountCents, balanceAfterCents })) return false;
  try {
    await deps.store.put(
      {
        pk: accountPk(email),
        sk: `LOWBALANCE#${charge.signatureId}`,
        kind: 'low-balance-warning',
        at: deps.clock.now().toISOString(),
      },
      { ifNotExists: true },
    );
  } catch (error) {
    if (error instanceof ConditionFailedError) return false;
    throw error;
  }
  const raw = await composeServiceMail({
    from: { name: deps.settings.serviceName, address: deps.settings.serviceAddress },
    to: [{ address: email }],
    subject: { fr: 'Votre solde prépayé est bas', en: 'Your prepaid balance is low' },
    paragraphs: {
      fr: [
        `Votre solde prépayé est de ${formatEuros(balanceAfterCents, 'fr-FR')} HT : ` +
          `moins que le prix de ${LOW_BALANCE_SIGNATURES} signatures.`,
        'Quand il ne couvre plus une demande, celle-ci est refusée. Rechargez-le ' +
          'par carte en quelques instants dans votre espace client.',
      ],
      en: [
        `Your prepaid balance is ${formatEuros(balanceAfterCents, 'en-GB')} excl. VAT: ` +
          `less than the price of ${LOW_BALANCE_SIGNATURES} signatures.`,
        'Once it no longer covers a request, the request is refused. Top it up ' +
          'by card in a moment from your customer area.',
      ],
    },
    action: { url: topupPageUrl(deps.settings.publicUrl), label: { fr: 'Recharger', en: 'Top up' } },
    date: deps.clock.now(),
  });
  await deps.mailer.send({ from: deps.settings.serviceAddress, to: [email], raw });
  return true;
}
