// Shared inputs for the PDF engine tests: tiny PNG stamps, an audit trail, pdf-lib-made documents.
import { degrees, PDFDocument, rgb, StandardFonts } from 'pdf-lib';
import type { AuditTrail, SignerStamp } from '../../../../lambdas/core/pdf/index.ts';
import { makeSolidPng } from '../../../support/png.ts';

/** A solid-colour RGB PNG. */
export const makePng = makeSolidPng;

export function makeAudit(options: { documentName?: string; signers?: number } = {}): AuditTrail {
  const count = options.signers ?? 1;
  return {
    envelopeId: 'env_01JTEST',
    documentName: options.documentName ?? 'contrat.pdf',
    originalSha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    subject: 'Contrat de prestation *SIGN',
    sender: { name: 'Paul Durand', email: 'paul@example.fr' },
    createdAt: '2026-11-27T09:00:00Z',
    completedAt: '2026-11-27T14:03:00Z',
    signers: Array.from({ length: count }, (_, i) => ({
      position: i + 1,
      name: ['Jeanne Martin', 'Łukasz Żółć', '王小明'][i % 3]!,
      email: `signer${i + 1}@example.fr`,
      phone: '+33612345678',
      otpVerifiedAt: '2026-11-27T14:01:00Z',
      signedAt: '2026-11-27T14:03:00Z',
      ip: '203.0.113.7',
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36',
      consent: true,
    })),
    events: [
      { at: '2026-11-27T09:00:00Z', description: 'Enveloppe créée / Envelope created' },
      { at: '2026-11-27T14:03:00Z', description: 'Signé par / Signed by Jeanne Martin' },
    ],
  };
}

export function makeStamps(count: number, pageCount = 1): SignerStamp[] {
  return Array.from({ length: count }, (_, i) => ({
    image: makePng({ width: 60, height: 20 }),
    caption: `Signer ${i + 1} — 2026-11-27 14:0${i} UTC`,
    placements: [{ page: (i % pageCount) + 1, x: 0.1 + 0.25 * (i % 3), y: 0.7, width: 0.2, height: 0.08 }],
  }));
}

export type MakePdfOptions = {
  pages?: number;
  rotate?: number;
  cropBox?: [number, number, number, number];
  useObjectStreams?: boolean;
};

export async function makePdf(options: MakePdfOptions = {}): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 0; i < (options.pages ?? 1); i += 1) {
    const page = doc.addPage([595, 842]);
    page.drawText(`Page ${i + 1}`, { x: 50, y: 780, size: 18, font, color: rgb(0.2, 0.2, 0.2) });
    if (options.rotate) page.setRotation(degrees(options.rotate));
    if (options.cropBox) page.setCropBox(...options.cropBox);
  }
  return doc.save({ useObjectStreams: options.useObjectStreams ?? false });
}

export const SIGNING_TIME = new Date('2026-11-27T14:03:00Z');
