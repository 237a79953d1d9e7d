// Builds an envelope as intake leaves it (status 'signing', turn at signer 1, one signing token per
// signer, real small PDFs in the documents store) straight through the record and token functions,
// plus helpers the signing tests share: a real PNG signature and a phone verified by SMS code.
import { createHash } from 'node:crypto';
import { PDFDocument } from 'pdf-lib';
import {
  putEnvelope,
  putSigner,
  type Envelope,
  type Signer,
} from '../../../../lambdas/core/envelopes/envelope-records.ts';
import { requestOtp } from '../../../../lambdas/core/otp/request-otp.ts';
import { verifyOtp } from '../../../../lambdas/core/otp/verify-otp.ts';
import type { SignaturePlacement } from '../../../../lambdas/core/envelopes/envelope-records.ts';
import { issueToken } from '../../../../lambdas/core/tokens/link-tokens.ts';
import type { FakeDeps } from '../../../support/fake-deps.ts';
import { makeSolidPng } from '../../../support/png.ts';

export type FixtureOptions = {
  signers?: number;
  /** Page sizes (points) of each document. */
  documents?: Array<{ name: string; pages: Array<[number, number]> }>;
  /** Signers' names, by position (default "Signer <position>"). */
  names?: string[];
};

export type EnvelopeFixture = { envelope: Envelope; signers: Signer[]; tokens: string[] };

export async function createEnvelopeFixture(deps: FakeDeps, options: FixtureOptions = {}): Promise<EnvelopeFixture> {
  const id = `env-${Buffer.from(deps.random.bytes(6)).toString('hex')}`;
  const now = deps.clock.now();
  const ttlSeconds = deps.settings.linkTtlDays * 86_400;
  const specs = options.documents ?? [
    {
      name: 'Devis 2026.pdf',
      pages: [
        [595.28, 841.89],
        [595.28, 841.89],
      ],
    },
    { name: 'Conditions générales.pdf', pages: [[612, 792]] },
  ];
  const documents = await Promise.all(
    specs.map(async (spec, index) => {
      const pdf = await PDFDocument.create();
      for (const size of spec.pages) pdf.addPage(size).drawText(`${spec.name}`, { x: 40, y: 40, size: 12 });
      const bytes = await pdf.save();
      const key = `envelopes/${id}/originals/doc-${index + 1}.pdf`;
      await deps.documents.put({ key, body: bytes, contentType: 'application/pdf' });
      return {
        id: `doc-${index + 1}`,
        name: spec.name,
        key,
        sha256: createHash('sha256').update(bytes).digest('hex'),
        size: bytes.length,
        pageCount: spec.pages.length,
        pages: spec.pages.map(([width, height]) => ({ width, height })),
      };
    }),
  );
  const signerCount = options.signers ?? 2;
  const envelope: Envelope = {
    id,
    subject: 'Devis rénovation',
    message: 'Bonjour, merci de signer le devis.',
    sender: { name: 'Alice Martin', email: 'alice@sender.test' },
    status: 'signing',
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + ttlSeconds * 1000).toISOString(),
    signerCount,
    currentPosition: 1,
    documents,
    rawMailKey: `inbound/${id}`,
    inboundMessageId: `<${id}@sender.test>`,
  };
  const ttl = Math.floor(now.getTime() / 1000) + ttlSeconds + deps.settings.retentionDays * 86_400;
  await putEnvelope(deps.store, envelope, { ttl });
  const signers: Signer[] = [];
  const tokens: string[] = [];
  for (let position = 1; position <= signerCount; position += 1) {
    const signer: Signer = {
      envelopeId: id,
      position,
      email: `signer${position}@client.test`,
      name: options.names?.[position - 1] ?? `Signer ${position}`,
      status: 'pending',
    };
    await putSigner(deps.store, signer, { ttl });
    signers.push(signer);
    const { token } = await issueToken({ ...deps, kind: 'signing', ttlSeconds, envelopeId: id, position });
    tokens.push(token);
  }
  return { envelope, signers, tokens };
}

/** A real PNG of a white canvas, like an empty signature pad. */
export function makePng(width = 300, height = 100): Uint8Array {
  return makeSolidPng({ width, height, rgb: [255, 255, 255] });
}

export const pngDataUrl = (bytes: Uint8Array = makePng()) =>
  `data:image/png;base64,${Buffer.from(bytes).toString('base64')}`;

/** One placement per page 1 of each document of the envelope. */
export function validPlacements(envelope: Envelope): SignaturePlacement[] {
  return envelope.documents.map((document) => ({
    documentId: document.id,
    page: 1,
    x: 0.6,
    y: 0.8,
    width: 0.3,
    height: 0.08,
  }));
}

export const validSubmission = (envelope: Envelope) => ({
  image: pngDataUrl(),
  placements: validPlacements(envelope),
  consent: true,
});

export const TEST_PHONE = '06 12 34 56 78';

/** The code of the last SMS sent (the tests' way of reading the phone). */
export function lastSmsCode(deps: FakeDeps): string {
  const body = deps.sentSms.at(-1)?.body ?? '';
  const match = /\b(\d{6})\b/.exec(body);
  if (!match?.[1]) throw new Error('No code in the last SMS');
  return match[1];
}

/** Requests and verifies a code for the signer holding this token. */
export async function verifyPhone(deps: FakeDeps, token: string, phone = TEST_PHONE): Promise<void> {
  await requestOtp({ deps, token, phone });
  await verifyOtp({ deps, token, code: lastSmsCode(deps) });
}

export const testClient = { ip: '203.0.113.7', userAgent: 'Mozilla/5.0 (test)' };
