// Bearer tokens carried in link fragments: 128+ random bits, base64url, stored only as a SHA-256
// hash, single-purpose (kind) and expiring. Expiry is enforced here, not by DynamoDB TTL.
import { createHash } from 'node:crypto';
import { DomainError } from '../errors.ts';
import type { Clock, Random, Store } from '../ports.ts';
import { parseRecord } from '../records/parse-record.ts';
import { tokenSchema } from '../records/record-schemas.ts';

export type TokenKind = 'signing' | 'login' | 'session';

export type TokenRecord = {
  kind: TokenKind;
  createdAt: string;
  expiresAt: string;
  envelopeId?: string;
  position?: number;
  email?: string;
  /** Set when a single-use token has been spent. */
  usedAt?: string;
};

const TOKEN_BYTES = 24;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{32,128}$/;

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

const tokenKey = (token: string) => ({ pk: `TOKEN#${hashToken(token)}`, sk: 'TOKEN' });

export type IssueTokenOptions = {
  store: Store;
  random: Random;
  clock: Clock;
  kind: TokenKind;
  ttlSeconds: number;
  envelopeId?: string;
  position?: number;
  email?: string;
};

/** Creates a token; returns the clear value (to put in a link) and its record. */
export async function issueToken(options: IssueTokenOptions): Promise<{ token: string; record: TokenRecord }> {
  const token = Buffer.from(options.random.bytes(TOKEN_BYTES)).toString('base64url');
  const now = options.clock.now();
  const record: TokenRecord = {
    kind: options.kind,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + options.ttlSeconds * 1000).toISOString(),
    ...(options.envelopeId !== undefined && { envelopeId: options.envelopeId }),
    ...(options.position !== undefined && { position: options.position }),
    ...(options.email !== undefined && { email: options.email }),
  };
  await options.store.put(
    { ...tokenKey(token), ttl: Math.floor(Date.parse(record.expiresAt) / 1000) + 86_400 * 30, ...record },
    { ifNotExists: true },
  );
  return { token, record };
}

export type ResolveTokenOptions = { store: Store; clock: Clock; token: string | undefined; kind: TokenKind };

/** Finds a live token of the expected kind, or throws TOKEN_INVALID (401) / LINK_EXPIRED (410). */
export async function resolveToken(options: ResolveTokenOptions): Promise<TokenRecord & { hash: string }> {
  const { token } = options;
  if (!token || !TOKEN_PATTERN.test(token)) {
    throw new DomainError({
      code: 'TOKEN_INVALID',
      message: 'The link is missing or malformed. Open the link from your email again.',
    });
  }
  const item = await options.store.get(tokenKey(token));
  if (!item || item.kind !== options.kind || (options.kind === 'login' && item.usedAt)) {
    throw new DomainError({
      code: 'TOKEN_INVALID',
      message: 'This link is not valid here. Open the link from your email again.',
    });
  }
  const record = parseRecord<TokenRecord>({ schema: tokenSchema, record: 'token', item });
  if (Date.parse(record.expiresAt) <= options.clock.now().getTime()) {
    throw new DomainError({
      code: 'LINK_EXPIRED',
      message: 'This link has expired.',
      details: { expiredAt: record.expiresAt },
    });
  }
  return { ...record, hash: hashToken(token) };
}

/** Marks a single-use token as spent; only one caller can win. */
export async function spendToken(options: { store: Store; clock: Clock; token: string }): Promise<void> {
  await options.store.update(tokenKey(options.token), {
    set: { usedAt: options.clock.now().toISOString() },
    expectMissing: ['usedAt'],
  });
}
