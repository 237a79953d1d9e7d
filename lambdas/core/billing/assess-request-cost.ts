// Intake's funding check: what a request would cost if all its signers signed now, against the
// balance. Advisory only (two requests checked at once may both pass): the charge itself is
// recorded at signature time by chargeSignature.
import type { Account } from '../accounts/account-records.ts';
import type { Store } from '../ports.ts';
import { projectCost } from './billing-rule.ts';
import { countRecentSignatures } from './signature-records.ts';

export type RequestCost = { costCents: number; balanceCents: number; covered: boolean; signaturesInWindow: number };

export type AssessRequestCostOptions = { store: Store; account: Account; signerCount: number; now: Date };

export async function assessRequestCost({
  store,
  account,
  signerCount,
  now,
}: AssessRequestCostOptions): Promise<RequestCost> {
  const signaturesInWindow = await countRecentSignatures({ store, email: account.email, now });
  const costCents = projectCost({ signaturesInWindow, signerCount });
  return {
    costCents,
    balanceCents: account.balanceCents,
    covered: costCents <= account.balanceCents,
    signaturesInWindow,
  };
}
