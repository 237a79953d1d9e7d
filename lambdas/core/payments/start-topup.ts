// The customer starts a top-up from the customer area: the amount (excl. VAT) is checked, VAT
// added, the top-up recorded `open`, and a checkout session opened with the payment provider for
// the total incl. VAT. The provider sends the customer back to the customer area either way.
import { resolveAccountSession } from '../accounts/account-login.ts';
import { getAccount } from '../accounts/account-records.ts';
import { DomainError } from '../errors.ts';
import { ACCOUNT_PAGE } from '../settings.ts';
import type { PaymentDeps } from './billing-settings.ts';
import { INVOICE_DESCRIPTION } from './invoice-records.ts';
import { accountTopupKey, computeTopupAmounts, topupKey, validateTopupAmount, type Topup } from './topup-records.ts';

export type StartTopupOptions = { deps: PaymentDeps; token: string | undefined; amountCents: unknown };

export type StartedTopup = {
  id: string;
  checkoutUrl: string;
  amountCents: number;
  vatCents: number;
  totalCents: number;
};

const toHex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

export const topupReturnUrl = (options: { publicUrl: string; topupId: string; outcome: 'paid' | 'canceled' }) =>
  `${options.publicUrl}/${ACCOUNT_PAGE}?topup=${encodeURIComponent(options.topupId)}&outcome=${options.outcome}`;

export async function startTopup({ deps, token, amountCents }: StartTopupOptions): Promise<StartedTopup> {
  const email = await resolveAccountSession({ deps, token });
  const amount = validateTopupAmount(amountCents);
  const account = await getAccount(deps.store, email);
  if (!account) throw new DomainError({ code: 'TOKEN_INVALID', message: 'This account no longer exists.' });
  if (account.status === 'suspended')
    throw new DomainError({ code: 'ACCOUNT_SUSPENDED', message: 'This account is suspended: it cannot be topped up.' });
  if (account.status === 'closed')
    throw new DomainError({ code: 'ACCOUNT_CLOSED', message: 'This account is closed: it cannot be topped up.' });
  const amounts = computeTopupAmounts({ amountCents: amount, vatRateBasisPoints: deps.billing.vatRateBasisPoints });
  const id = `tu_${toHex(deps.random.bytes(12))}`;
  const createdAt = deps.clock.now().toISOString();
  const topup: Topup = {
    id,
    email,
    ...amounts,
    vatRateBasisPoints: deps.billing.vatRateBasisPoints,
    status: 'open',
    createdAt,
  };
  await deps.store.put({ ...topupKey(id), kind: 'topup', ...topup }, { ifNotExists: true });
  await deps.store.put({ ...accountTopupKey(email, createdAt, id), kind: 'account-topup', topupId: id });
  const publicUrl = deps.settings.publicUrl;
  const session = await deps.payments.createCheckout({
    topupId: id,
    customerEmail: email,
    totalCents: amounts.totalCents,
    description: INVOICE_DESCRIPTION,
    successUrl: topupReturnUrl({ publicUrl, topupId: id, outcome: 'paid' }),
    cancelUrl: topupReturnUrl({ publicUrl, topupId: id, outcome: 'canceled' }),
  });
  // A crash before this leaves an open top-up with no session: nothing was paid, nothing is owed.
  await deps.store.update(topupKey(id), { set: { sessionId: session.sessionId } });
  return { id, checkoutUrl: session.checkoutUrl, ...amounts };
}
