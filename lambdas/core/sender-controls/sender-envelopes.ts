// The sender's view of their envelopes, for the commands by mail and the customer area: the
// account's envelope index read newest first (each envelope once), a reference resolved among the
// sender's own envelopes only, and the one rule saying whether an envelope is still open.
import { accountPk } from '../accounts/account-records.ts';
import type { Deps } from '../deps.ts';
import { getEnvelope, type Envelope } from '../envelopes/envelope-records.ts';
import { DomainError } from '../errors.ts';

/** The attributes sender controls add to the stored envelope. */
export type ControlledEnvelope = Envelope & {
  lastReminderAt?: string;
  cancelledAt?: string;
  declinedAt?: string;
  expiryNotifiedAt?: string;
};

const LOAD_CONCURRENCY = 16;

/** The sender's envelope ids, newest first, each once (an index may hold an envelope twice after a resumed intake). */
export async function listSenderEnvelopeIds(options: { deps: Deps; email: string }): Promise<string[]> {
  const index = await options.deps.store.query(accountPk(options.email), { skPrefix: 'ENV#', descending: true });
  return [...new Set(index.map((item) => String(item.envelopeId)))];
}

/** Loads envelopes by id, a few at a time, in the given order (missing ones left out). */
export async function loadEnvelopes(deps: Deps, ids: string[]): Promise<ControlledEnvelope[]> {
  const loaded: ControlledEnvelope[] = [];
  for (let start = 0; start < ids.length; start += LOAD_CONCURRENCY) {
    const batch = await Promise.all(
      ids.slice(start, start + LOAD_CONCURRENCY).map((id) => getEnvelope(deps.store, id)),
    );
    loaded.push(...batch.filter((e): e is Envelope => e !== undefined));
  }
  return loaded;
}

/** Open: still collecting signatures and not past its expiry date (the sweep may not have run yet). */
export function isEnvelopeOpen(envelope: Envelope, now: Date): boolean {
  return envelope.status === 'signing' && Date.parse(envelope.expiresAt) > now.getTime();
}

/** The status a person should read: a 'signing' envelope past its date is expired. */
export function effectiveStatus(envelope: Envelope, now: Date): Envelope['status'] {
  return envelope.status === 'signing' && !isEnvelopeOpen(envelope, now) ? 'expired' : envelope.status;
}

/** When a closed envelope stopped being open, for "closed in the last 30 days". */
export function closedAt(envelope: ControlledEnvelope): string {
  if (envelope.status === 'expired' || envelope.status === 'signing') return envelope.expiresAt;
  return envelope.completedAt ?? envelope.cancelledAt ?? envelope.declinedAt ?? envelope.createdAt;
}

export function envelopeClosedError(envelope: Envelope, now: Date): DomainError {
  const status = effectiveStatus(envelope, now);
  return new DomainError({
    code: 'ENVELOPE_CLOSED',
    message: `This signing request is closed (${status}).`,
    details: { envelopeStatus: status },
  });
}

/** One of the sender's envelopes by id (customer area): someone else's reads as not found. */
export async function getOwnEnvelope(options: {
  deps: Deps;
  email: string;
  envelopeId: string;
}): Promise<ControlledEnvelope> {
  const envelope = await getEnvelope(options.deps.store, options.envelopeId);
  if (!envelope || envelope.sender.email !== options.email) {
    throw new DomainError({ code: 'NOT_FOUND', message: 'No signing request of yours has this id.' });
  }
  return envelope;
}

/** One of the sender's envelopes by its reference (a prefix of the id, 8 characters or more). */
export async function findOwnEnvelopeByReference(options: {
  deps: Deps;
  email: string;
  reference: string;
}): Promise<ControlledEnvelope | undefined> {
  const reference = options.reference.toLowerCase();
  const ids = await listSenderEnvelopeIds(options);
  const id = ids.find((candidate) => candidate.startsWith(reference));
  if (!id) return undefined;
  const envelope = await getEnvelope(options.deps.store, id);
  return envelope?.sender.email === options.email ? envelope : undefined;
}
