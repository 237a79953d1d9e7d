// Intake resumes after a failure at ANY store or mailer call (before or after the call took
// effect): after the retries, the message has one outcome, one envelope, every signer one
// invitation and the sender one acknowledgement; a mail repeats only in the at-least-once window
// (handed to the mailer, its SENT# mark not written), and then with the same Message-ID.
import { describe, expect, it } from 'vitest';
import { getEnvelope, listSigners } from '../../../../lambdas/core/envelopes/envelope-records.ts';
import { getInboundRecord, INTAKE_LEASE_MS } from '../../../../lambdas/core/intake/inbound-records.ts';
import { receiveSignRequest } from '../../../../lambdas/core/intake/receive-sign-request.ts';
import type { Mailer, Store } from '../../../../lambdas/core/ports.ts';
import { createFakeDeps, type FakeDeps } from '../../../support/fake-deps.ts';
import { failAtCall, type FailureMode } from '../../../support/failing-ports.ts';
import { buildSignRequestMail, makePdf } from '../../../support/mail-fixtures.ts';

const PASS = { dmarc: 'PASS', spf: 'PASS', dkim: 'PASS', spam: 'PASS', virus: 'PASS' };
const MESSAGE = 'msg-partial';

let rawMail: Uint8Array | undefined;
async function request(): Promise<Uint8Array> {
  rawMail ??= await buildSignRequestMail({
    to: ['Jeanne Martin <jeanne.martin@client.fr>'],
    cc: ['Paul Leroy <paul@client.fr>'],
    subject: '*SIGN Contrat',
    text: 'Bonjour',
    attachments: [{ filename: 'contrat.pdf', content: await makePdf({ pages: 1 }), contentType: 'application/pdf' }],
  });
  return rawMail;
}

const messageIdOf = (raw: Uint8Array) => /^Message-ID:\s*(<[^>]+>)/im.exec(Buffer.from(raw).toString('latin1'))?.[1];

async function newDeps(): Promise<FakeDeps> {
  const deps = createFakeDeps();
  await deps.rawMail.put({ key: MESSAGE, body: await request(), contentType: 'message/rfc822' });
  return deps;
}

const deliver = (deps: FakeDeps) =>
  receiveSignRequest({ deps, messageId: MESSAGE, verdicts: PASS, envelopeSender: 'claire@agence-dubois.fr' });

async function countCalls(): Promise<number> {
  const deps = await newDeps();
  const ports = failAtCall({ store: deps.store, mailer: deps.mailer, failAt: 0, mode: 'before' });
  await deliver({ ...deps, store: ports.store, mailer: ports.mailer });
  return ports.calls();
}

/** One failing delivery, then the deliveries a retrying caller makes (a lease later each). */
async function failThenRetry(failAt: number, mode: FailureMode) {
  const deps = await newDeps();
  const healthy: { store: Store; mailer: Mailer } = { store: deps.store, mailer: deps.mailer };
  const ports = failAtCall({ ...healthy, failAt, mode });
  const first = await deliver({ ...deps, store: ports.store, mailer: ports.mailer }).catch(() => undefined);
  const sentByFirst = deps.sentMail.map((mail) => messageIdOf(mail.raw));
  const marks = new Set(
    (deps.store as unknown as { items(): Array<{ pk: string; sk: string }> })
      .items()
      .filter((item) => item.pk === `INBOUND#${MESSAGE}` && item.sk.startsWith('SENT#'))
      .map((item) => item.sk.slice(5)),
  );
  let outcome = first;
  for (
    let attempt = 0;
    attempt < 3 && (await getInboundRecord({ store: deps.store, messageId: MESSAGE }))?.outcome === undefined;
    attempt += 1
  ) {
    deps.advance(INTAKE_LEASE_MS + 1000);
    outcome = await deliver(deps).catch(() => undefined);
  }
  return { deps, outcome, failed: ports.failed(), sentByFirst, marks };
}

describe('intake: a failure at any call is resumed', async () => {
  const total = await countCalls();
  const cases = (['before', 'after'] as const).flatMap((mode) =>
    Array.from({ length: total }, (_, index) => ({ mode, failAt: index + 1 })),
  );

  it('makes enough calls for the sweep to mean something', () => {
    expect(total).toBeGreaterThan(20);
  });

  it.each(cases)('call $failAt failing $mode it: one envelope, each mail once', async ({ failAt, mode }) => {
    const { deps, outcome, failed, sentByFirst, marks } = await failThenRetry(failAt, mode);
    expect(failed, 'the injected failure happened').toBeDefined();
    const record = await getInboundRecord({ store: deps.store, messageId: MESSAGE });
    expect(record?.outcome).toMatchObject({ status: 'accepted' });
    // The last delivery either finished the steps, or found them finished (the failure hit after the outcome).
    expect([record?.outcome, { status: 'ignored', reason: 'already processed' }]).toContainEqual(outcome);
    const envelopes = (deps.store as unknown as { items(): Array<{ sk: string; kind?: string }> })
      .items()
      .filter((item) => item.kind === 'envelope');
    expect(envelopes).toHaveLength(1);
    const envelopeId = (record?.outcome as { envelopeId: string } | undefined)?.envelopeId ?? '';
    expect(await getEnvelope(deps.store, envelopeId)).toMatchObject({ status: 'signing', currentPosition: 1 });
    expect((await listSigners(deps.store, envelopeId)).map((s) => s.status)).toEqual(['pending', 'pending']);

    const ids = deps.sentMail.map((mail) => messageIdOf(mail.raw));
    expect(ids.every((id) => id !== undefined)).toBe(true);
    const counts = new Map<string, number>();
    for (const id of ids) counts.set(id as string, (counts.get(id as string) ?? 0) + 1);
    expect(counts.size, 'two invitations and the acknowledgement').toBe(3);
    expect(deps.sentMail.map((m) => m.to[0]).sort()).toEqual(
      expect.arrayContaining(['claire@agence-dubois.fr', 'jeanne.martin@client.fr', 'paul@client.fr']),
    );
    // The at-least-once window: sent by the failing attempt, its mark not written.
    const unmarked = new Set(sentByFirst.filter((id) => ![...marks].some((step) => id?.startsWith(`<${step}.`))));
    for (const [id, count] of counts) expect(count, id).toBe(unmarked.has(id) ? Math.min(count, 2) : 1);
    expect([...counts.values()].filter((count) => count > 1).length).toBeLessThanOrEqual(1);
  });
});
