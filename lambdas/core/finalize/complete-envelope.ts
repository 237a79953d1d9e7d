// Step "Complete": the envelope becomes `completed`, with its certified documents recorded for
// the customer area. Repeating it changes nothing. Then the charges of its signatures that a crash
// left pending (or never started) are settled; that never fails the step, which returns the ids of
// the ones still unsettled for the daily job to finish.
import { recordAuditEvent } from '../audit/audit-events.ts';
import { settlePendingCharges } from '../billing/settle-pending-charge.ts';
import { signatureId } from '../billing/signature-records.ts';
import type { Deps } from '../deps.ts';
import { ConditionFailedError } from '../errors.ts';
import {
  envelopeFromItem,
  envelopeKey,
  getEnvelope,
  listSigners,
  type CertifiedDocument,
  type Envelope,
  type Signer,
} from '../envelopes/envelope-records.ts';
import { clearFinalizing } from './finalization-index.ts';
import { FinalizeStepError } from './finalize-errors.ts';
import type { CompleteInput } from './finalize-types.ts';

export type CompleteEnvelopeOptions = { deps: Deps } & CompleteInput;

export type CompleteEnvelopeResult = { envelopeId: string; status: 'completed'; unsettledCharges?: string[] };

export async function completeEnvelope({
  deps,
  envelopeId,
  documents,
  delivery,
}: CompleteEnvelopeOptions): Promise<CompleteEnvelopeResult> {
  const certified: CertifiedDocument[] = documents.map((d) => {
    // Certify's hash, or Deliver's for a file it joined from Certify's parts.
    const sha256 = d.sha256 ?? delivery?.stored?.find((s) => s.documentId === d.documentId)?.sha256;
    if (!sha256)
      throw new FinalizeStepError({
        name: 'DocumentNotFound',
        message: `Deliver did not report storing the certified ${d.documentId}`,
      });
    return { documentId: d.documentId, name: d.name, key: d.certifiedKey, sha256, size: d.size };
  });
  const signersRead = listSigners(deps.store, envelopeId).catch(() => undefined);
  // The completion is written first, and gives the envelope as it is after it: one round trip, not
  // a read then a write. Only when it does not apply is the envelope read, to tell a repeat (already
  // completed: nothing to do) from a wrong state.
  let envelope: Envelope;
  try {
    envelope = envelopeFromItem(
      await deps.store.update(envelopeKey(envelopeId), {
        set: { status: 'completed', completedAt: deps.clock.now().toISOString(), certified },
        expect: { status: 'finalizing' },
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionFailedError)) throw error;
    const current = await getEnvelope(deps.store, envelopeId);
    if (!current) throw new FinalizeStepError({ name: 'EnvelopeNotFound', message: `No envelope ${envelopeId}` });
    if (current.status !== 'completed') throw error;
    await clearFinalizing(deps, envelopeId);
    return { envelopeId, status: 'completed' };
  }
  const signers = await signersRead;
  // Independent of one another once the envelope is completed: written at once.
  const [, , unsettledCharges] = await Promise.all([
    recordAuditEvent({
      store: deps.store,
      clock: deps.clock,
      random: deps.random,
      event: { type: 'envelope.completed', envelopeId },
    }),
    clearFinalizing(deps, envelopeId),
    settleSignatureCharges(deps, envelope, signers),
  ]);
  return { envelopeId, status: 'completed', ...(unsettledCharges.length > 0 && { unsettledCharges }) };
}

/** Signature ids whose charge is still not decided; never throws. `signers` undefined: not read. */
async function settleSignatureCharges(deps: Deps, envelope: Envelope, read: Signer[] | undefined): Promise<string[]> {
  try {
    const signers = read ?? (await listSigners(deps.store, envelope.id));
    const signatures = signers.flatMap((s) =>
      s.status === 'signed' && s.signedAt ? [{ position: s.position, at: s.signedAt }] : [],
    );
    const report = await settlePendingCharges({
      store: deps.store,
      clock: deps.clock,
      email: envelope.sender.email,
      envelopeId: envelope.id,
      signatures,
    });
    return [...report.busy, ...report.failed];
  } catch {
    return Array.from({ length: envelope.signerCount }, (_, index) => signatureId(envelope.id, index + 1));
  }
}
