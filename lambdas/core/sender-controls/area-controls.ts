// The customer area's controls over an open envelope, with a session: cancel and remind, by the
// same rules as the commands by mail. Another customer's envelope is not found (404).
import { resolveAccountSession } from '../accounts/account-login.ts';
import type { Deps } from '../deps.ts';
import { cancelEnvelope } from './cancel-envelope.ts';
import { remindSigner } from './remind-signer.ts';
import { getOwnEnvelope } from './sender-envelopes.ts';

export type AreaControlOptions = { deps: Deps; token: string | undefined; envelopeId: string };

export async function cancelEnvelopeFromArea(options: AreaControlOptions): Promise<{ status: 'cancelled' }> {
  const { deps, envelopeId } = options;
  const email = await resolveAccountSession(options);
  const envelope = await getOwnEnvelope({ deps, email, envelopeId });
  await cancelEnvelope({ deps, envelope, by: 'area' });
  return { status: 'cancelled' };
}

export async function remindSignerFromArea(
  options: AreaControlOptions,
): Promise<{ status: 'sent'; position: number; nextReminderAt: string }> {
  const { deps, envelopeId } = options;
  const email = await resolveAccountSession(options);
  const envelope = await getOwnEnvelope({ deps, email, envelopeId });
  const sent = await remindSigner({ deps, envelope, trigger: 'area' });
  return {
    status: 'sent',
    position: sent.signer.position,
    nextReminderAt: new Date(Date.parse(sent.at) + 24 * 3_600_000).toISOString(),
  };
}
