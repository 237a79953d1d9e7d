// Step "Complete": the envelope becomes `completed`, with its certified documents recorded for
// the customer area. Repeating it changes nothing.
import { recordAuditEvent } from '../audit/audit-events.ts';
import type { Deps } from '../deps.ts';
import { envelopeKey, getEnvelope, type CertifiedDocument } from '../envelopes/envelope-records.ts';
import { FinalizeStepError } from './finalize-errors.ts';
import type { DeliverInput } from './finalize-types.ts';

export type CompleteEnvelopeOptions = { deps: Deps } & DeliverInput;

export async function completeEnvelope({ deps, envelopeId, documents }: CompleteEnvelopeOptions): Promise<{ envelopeId: string; status: 'completed' }> {
  const envelope = await getEnvelope(deps.store, envelopeId);
  if (!envelope) throw new FinalizeStepError({ name: 'EnvelopeNotFound', message: `No envelope ${envelopeId}` });
  if (envelope.status === 'completed') return { envelopeId, status: 'completed' };
  const certified: CertifiedDocument[] = documents.map((d) => ({ documentId: d.documentId, name: d.name, key: d.certifiedKey, sha256: d.sha256, size: d.size }));
  await deps.store.update(envelopeKey(envelopeId), {
    set: { status: 'completed', completedAt: deps.clock.now().toISOString(), certified },
    expect: { status: 'finalizing' },
  });
  await recordAuditEvent({ store: deps.store, clock: deps.clock, random: deps.random, event: { type: 'envelope.completed', envelopeId } });
  return { envelopeId, status: 'completed' };
}
