// Schemas of the records read from the single table (see parse-record.ts). They check what the
// code relies on (identity, status, counters, amounts, times) and let every other attribute through.
import * as z from 'zod';

const text = z.string().min(1);
const isoTime = z.string().min(1);
const count = z.number().int().min(0);

export const accountSchema = z.looseObject({
  email: text,
  status: z.enum(['active', 'suspended', 'closed']),
  balanceCents: z.number().int(),
  ledgerSeq: count,
  createdAt: isoTime,
  updatedAt: isoTime,
  closedAt: isoTime.optional(),
  purgedAt: isoTime.optional(),
});

export const ledgerEntrySchema = z.looseObject({
  at: isoTime,
  type: z.enum(['credit', 'debit']),
  amountCents: z.number().int(),
  balanceAfterCents: z.number().int(),
  envelopeId: z.string().optional(),
  signatureId: z.string().optional(),
});

export const tokenSchema = z.looseObject({
  kind: z.enum(['signing', 'login', 'session']),
  createdAt: isoTime,
  expiresAt: isoTime.refine((value) => !Number.isNaN(Date.parse(value)), 'not a date'),
  envelopeId: z.string().optional(),
  position: z.number().int().positive().optional(),
  email: z.string().optional(),
  usedAt: isoTime.optional(),
});

export const otpSchema = z.looseObject({
  codeHash: z.string().optional(),
  salt: z.string().optional(),
  phone: z.string().optional(),
  expiresAt: isoTime.optional(),
  attempts: count.optional(),
  sentAtMs: z.number().optional(),
  smsCount: count.optional(),
  usedAt: isoTime.optional(),
});

const placementSchema = z.looseObject({
  documentId: text,
  page: count,
  x: z.number(),
  y: z.number(),
  width: z.number().positive(),
  height: z.number().positive(),
});

const documentSchema = z.looseObject({
  id: text,
  name: z.string(),
  key: text,
  sha256: z.string(),
});

export const envelopeSchema = z.looseObject({
  id: text,
  subject: z.string(),
  sender: z.looseObject({ name: z.string(), email: text }),
  // A string, not an enum: statuses are added by features; the code checks the ones it knows.
  status: text,
  createdAt: isoTime,
  expiresAt: isoTime,
  signerCount: count,
  currentPosition: count,
  documents: z.array(documentSchema),
  certified: z.array(z.looseObject({ documentId: text, key: text })).optional(),
});

export const signerSchema = z.looseObject({
  envelopeId: text,
  position: z.number().int().positive(),
  email: text,
  name: z.string(),
  status: z.enum(['pending', 'signed', 'declined']),
  placements: z.array(placementSchema).optional(),
});
