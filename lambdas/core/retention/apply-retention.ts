// The daily retention job. Certified documents are kept while the account is active; once an
// account has been closed for the grace period, every document of its envelopes (originals,
// signature images, certified PDFs) is deleted. Raw inbound mail is deleted after the retention
// period. Signature charges a crash left pending are settled (billing/settle-pending-charge.ts);
// intakes and signature effects a dead process left unfinished are resumed.
// Driven by indexes written as things happen (no bucket listing, no table scan), and
// idempotent: a run that dies half-way is finished by the next one.
import { accountKey, accountPk, closedAccountKey, getAccount } from '../accounts/account-records.ts';
import { settleListedPendingCharges } from '../billing/settle-pending-charge.ts';
import type { Deps } from '../deps.ts';
import { envelopeKey, getEnvelope, listSigners } from '../envelopes/envelope-records.ts';
import { resumeFinalizations } from '../finalize/resume-finalizations.ts';
import { resumeStaleIntakes } from '../intake/resume-intakes.ts';
import { sweepPendingSignatures } from '../signing/signature-effects.ts';
import { dayOf, RAW_MAIL_DAYS_PK, rawMailDayPk } from './raw-mail-index.ts';
import { preparedKey, preparedUpdateKey, signedUpdateKey } from '../finalize/finalize-types.ts';

const DAY_MS = 86_400_000;

export type RetentionReport = {
  rawMailDeleted: number;
  accountsPurged: number;
  documentsDeleted: number;
  pendingChargesSettled: number;
  /** Left for the next run: still in progress, or failed this time. */
  pendingChargesLeft: number;
  /** Unfinished work resumed (issue 11): intakes whose attempts died, signatures whose effects did not finish. */
  intakesResumed: number;
  signaturesCompleted: number;
  finalizationsRestarted: number;
};

export type ApplyRetentionOptions = { deps: Deps };

export async function applyRetention({ deps }: ApplyRetentionOptions): Promise<RetentionReport> {
  const rawMailDeleted = await deleteExpiredRawMail(deps);
  const { accountsPurged, documentsDeleted } = await purgeClosedAccounts(deps);
  const intakesResumed = (await resumeStaleIntakes({ deps })).filter((r) => r.outcome !== undefined).length;
  const signaturesCompleted = await sweepPendingSignatures({ deps });
  const finalizationsRestarted = (await resumeFinalizations({ deps })).length;
  const charges = await settleListedPendingCharges({ store: deps.store, clock: deps.clock });
  return {
    intakesResumed,
    signaturesCompleted,
    finalizationsRestarted,
    rawMailDeleted,
    accountsPurged,
    documentsDeleted,
    pendingChargesSettled: charges.settled.length,
    pendingChargesLeft: charges.busy.length + charges.failed.length,
  };
}

/** Raw mail of every whole day older than the retention period. */
async function deleteExpiredRawMail(deps: Deps): Promise<number> {
  const cutoffDay = dayOf(new Date(deps.clock.now().getTime() - deps.settings.retentionDays * DAY_MS));
  const days = (await deps.store.query(RAW_MAIL_DAYS_PK, { skTo: cutoffDay })).filter((item) => item.sk < cutoffDay);
  let deleted = 0;
  for (const { sk: day } of days) {
    for (const item of await deps.store.query(rawMailDayPk(day))) {
      await deps.rawMail.delete(String(item.messageId));
      await deps.store.delete({ pk: item.pk, sk: item.sk });
      deleted += 1;
    }
    await deps.store.delete({ pk: RAW_MAIL_DAYS_PK, sk: day });
  }
  return deleted;
}

async function purgeClosedAccounts(deps: Deps): Promise<{ accountsPurged: number; documentsDeleted: number }> {
  const now = deps.clock.now();
  const graceMs = deps.settings.closedAccountGraceDays * DAY_MS;
  let accountsPurged = 0;
  let documentsDeleted = 0;
  for (const entry of await deps.store.query('CLOSED-ACCOUNTS')) {
    const email = entry.sk;
    const account = await getAccount(deps.store, email);
    if (account?.status !== 'closed' || !account.closedAt) {
      await deps.store.delete(closedAccountKey(email)); // reopened meanwhile: nothing to delete
      continue;
    }
    if (Date.parse(account.closedAt) + graceMs > now.getTime()) continue;
    documentsDeleted += await deleteAccountDocuments(deps, email);
    await deps.store.update(accountKey(email), {
      set: { purgedAt: now.toISOString() },
      expect: { status: 'closed', closedAt: account.closedAt },
    });
    await deps.store.delete(closedAccountKey(email));
    accountsPurged += 1;
  }
  return { accountsPurged, documentsDeleted };
}

async function deleteAccountDocuments(deps: Deps, email: string): Promise<number> {
  let deleted = 0;
  for (const item of await deps.store.query(accountPk(email), { skPrefix: 'ENV#' })) {
    const envelope = await getEnvelope(deps.store, String(item.envelopeId));
    if (!envelope || 'documentsDeletedAt' in envelope) continue;
    const signers = await listSigners(deps.store, envelope.id);
    const keys = [
      ...envelope.documents.map((d) => d.key),
      ...envelope.documents.flatMap((d) => (d.pagesKey ? [d.pagesKey] : [])),
      ...(envelope.certified ?? []).map((c) => c.key),
      ...signers.flatMap((s) => (s.imageKey ? [s.imageKey] : [])),
    ];
    // Finalization's intermediate files hold the audit page too (personal data): whichever form
    // the run stored, the whole prepared file, the update alone, the signed update. Absent ones cost
    // a no-op delete.
    const intermediates = envelope.documents.flatMap((d) => [
      preparedKey(envelope.id, d.id),
      preparedUpdateKey(envelope.id, d.id),
      signedUpdateKey(envelope.id, d.id),
    ]);
    for (const key of [...keys, ...intermediates]) await deps.documents.delete(key);
    await deps.store.update(envelopeKey(envelope.id), { set: { documentsDeletedAt: deps.clock.now().toISOString() } });
    deleted += keys.length;
  }
  return deleted;
}
