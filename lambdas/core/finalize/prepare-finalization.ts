// Step "Prepare": checks the envelope is ready to finalize (every signer signed) and lists its
// documents for the per-document Map. A failed envelope being retried goes back to finalizing.
import { recordAuditEvent } from '../audit/audit-events.ts';
import type { Deps } from '../deps.ts';
import { envelopeKey, getEnvelope, listSigners } from '../envelopes/envelope-records.ts';
import { FinalizeStepError } from './finalize-errors.ts';
import type { PreparedFinalization } from './finalize-types.ts';

export type PrepareFinalizationOptions = { deps: Deps; envelopeId: string };

export async function prepareFinalization({
  deps,
  envelopeId,
}: PrepareFinalizationOptions): Promise<PreparedFinalization> {
  const envelope = await getEnvelope(deps.store, envelopeId);
  if (!envelope) throw new FinalizeStepError({ name: 'EnvelopeNotFound', message: `No envelope ${envelopeId}` });
  if (envelope.status === 'completed')
    throw new FinalizeStepError({ name: 'AlreadyCompleted', message: `Envelope ${envelopeId} is already completed` });
  const signers = await listSigners(deps.store, envelopeId);
  if (signers.length === 0 || signers.some((s) => s.status !== 'signed')) {
    throw new FinalizeStepError({
      name: 'NotReady',
      message: `Envelope ${envelopeId} still has signers who have not signed`,
    });
  }
  if (envelope.status !== 'finalizing') {
    await deps.store.update(envelopeKey(envelopeId), {
      set: { status: 'finalizing' },
      remove: ['failureReason'],
      expect: { status: envelope.status },
    });
    await recordAuditEvent({
      store: deps.store,
      clock: deps.clock,
      random: deps.random,
      event: { type: 'envelope.finalizing', envelopeId, data: { retry: true } },
    });
  }
  return {
    envelopeId,
    documents: envelope.documents.map((d) => ({ envelopeId, documentId: d.id, originalKey: d.key })),
  };
}
