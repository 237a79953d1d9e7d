// Records are checked where they are read: an old or corrupt item gives a named RecordInvalidError
// (never a wrong value), and attributes the schema does not name pass through unchanged.
import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../../../lambdas/adapters/memory/memory-store.ts';
import { accountKey, getAccount, listLedger, ledgerKey } from '../../../../lambdas/core/accounts/account-records.ts';
import {
  envelopeKey,
  getEnvelope,
  getSigner,
  listSigners,
  signerKey,
} from '../../../../lambdas/core/envelopes/envelope-records.ts';
import { RecordInvalidError } from '../../../../lambdas/core/errors.ts';
import { getOtpRecord, otpKey } from '../../../../lambdas/core/otp/otp-records.ts';
import { hashToken, resolveToken } from '../../../../lambdas/core/tokens/link-tokens.ts';

const now = '2026-03-01T10:00:00.000Z';
const clock = { now: () => new Date(now) };
const account = {
  email: 'claire@agence.fr',
  status: 'active',
  balanceCents: 500,
  ledgerSeq: 0,
  createdAt: now,
  updatedAt: now,
};
const envelope = {
  id: 'env-1',
  subject: 'Contrat',
  message: '',
  sender: { name: 'Claire', email: 'claire@agence.fr' },
  status: 'signing',
  createdAt: now,
  expiresAt: now,
  signerCount: 1,
  currentPosition: 1,
  documents: [{ id: 'd1', name: 'a.pdf', key: 'k', sha256: 'h', size: 1, pageCount: 1, pages: [] }],
  rawMailKey: 'raw',
  inboundMessageId: 'm',
};
const signer = { envelopeId: 'env-1', position: 1, email: 'jeanne@client.fr', name: 'Jeanne', status: 'pending' };

async function readError(read: () => Promise<unknown>): Promise<unknown> {
  return read().then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe('account records', () => {
  it('reads a valid account and keeps attributes the schema does not name', async () => {
    const store = createMemoryStore();
    await store.put({ ...accountKey(account.email), kind: 'account', ...account, addedLater: 'kept' });
    expect(await getAccount(store, account.email)).toMatchObject({ ...account, addedLater: 'kept' });
  });

  it('names an account without a status', async () => {
    const store = createMemoryStore();
    const { status: _status, ...old } = account;
    await store.put({ ...accountKey(account.email), kind: 'account', ...old });
    const error = await readError(() => getAccount(store, account.email));
    expect(error).toBeInstanceOf(RecordInvalidError);
    expect(error).toMatchObject({ record: 'account' });
    expect((error as Error).message).toContain('status');
    expect((error as Error).message).not.toContain('claire');
  });

  it('names a ledger entry whose amount is not a number', async () => {
    const store = createMemoryStore();
    await store.put({ ...accountKey(account.email), kind: 'account', ...account, ledgerSeq: 1 });
    await store.put({
      ...ledgerKey(account.email, 1),
      kind: 'ledger',
      at: now,
      type: 'credit',
      amountCents: '500',
      balanceAfterCents: 500,
    });
    await expect(listLedger(store, account.email)).rejects.toMatchObject({
      name: 'RecordInvalidError',
      record: 'ledger entry',
    });
  });
});

describe('envelope records', () => {
  it('reads a valid envelope and signer', async () => {
    const store = createMemoryStore();
    await store.put({ ...envelopeKey('env-1'), kind: 'envelope', ...envelope });
    await store.put({ ...signerKey('env-1', 1), kind: 'signer', ...signer });
    expect(await getEnvelope(store, 'env-1')).toEqual(envelope);
    expect(await listSigners(store, 'env-1')).toEqual([signer]);
  });

  it('names an envelope whose documents are missing', async () => {
    const store = createMemoryStore();
    const { documents: _documents, ...old } = envelope;
    await store.put({ ...envelopeKey('env-1'), kind: 'envelope', ...old });
    await expect(getEnvelope(store, 'env-1')).rejects.toMatchObject({ name: 'RecordInvalidError', record: 'envelope' });
  });

  it('names a signer with an unknown status', async () => {
    const store = createMemoryStore();
    await store.put({ ...signerKey('env-1', 1), kind: 'signer', ...signer, status: 'maybe' });
    await expect(getSigner(store, 'env-1', 1)).rejects.toMatchObject({ name: 'RecordInvalidError', record: 'signer' });
  });
});

describe('token records', () => {
  it('names a token whose expiry is not a date', async () => {
    const store = createMemoryStore();
    const token = 'A'.repeat(32);
    await store.put({ pk: `TOKEN#${hashToken(token)}`, sk: 'TOKEN', kind: 'login', createdAt: now, expiresAt: 'soon' });
    await expect(resolveToken({ store, clock, token, kind: 'login' })).rejects.toMatchObject({
      name: 'RecordInvalidError',
      record: 'token',
    });
  });
});

describe('one-time code records', () => {
  it('names a code record whose attempt counter is text', async () => {
    const store = createMemoryStore();
    await store.put({ ...otpKey('env-1', 1), attempts: '3' });
    await expect(getOtpRecord(store, 'env-1', 1)).rejects.toMatchObject({
      name: 'RecordInvalidError',
      record: 'one-time code',
    });
  });
});
