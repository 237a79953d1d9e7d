// Appends the audit-trail page(s), French then English on each line: who signed what, when, from
// where, the SHA-256 of the original, and how anyone can verify the certification.
import { rgb } from 'pdf-lib';
import type { PDFDocument, PDFPage } from 'pdf-lib';
import { appendPage } from './pdf-lib-internals.ts';
import { wrapText } from './text-encoding.ts';
import { getDocumentFonts } from './unicode-fonts.ts';
import type { DocumentFonts } from './unicode-fonts.ts';

export type AuditSigner = {
  position: number;
  name: string;
  email: string;
  /** E.164; printed with all but the last 2 digits masked. */
  phone?: string;
  otpVerifiedAt?: string;
  signedAt?: string;
  ip?: string;
  userAgent?: string;
  consent: boolean;
};

export type AuditTrail = {
  envelopeId: string;
  documentName: string;
  /** Hex SHA-256 of the original file. */
  originalSha256: string;
  subject: string;
  sender: { name: string; email: string };
  createdAt: string;
  completedAt: string;
  signers: AuditSigner[];
  events: Array<{ at: string; description: string }>;
  /** How anyone checks the seal (design.md "Verification"); absent in older callers. */
  verification?: AuditVerification;
};

export type AuditVerification = {
  /** PAdES level: B-T when the seal carries a time-stamp token. */
  level: 'B-B' | 'B-T';
  /** Who time-stamps (host names of the TSA services). */
  timestampAuthority?: string;
  /** The public verification page. */
  verifyUrl: string;
  /** Where to mail a PDF with *VERIFY in the subject. */
  verifyAddress: string;
};

export type DrawAuditTrailOptions = {
  doc: PDFDocument;
  audit: AuditTrail;
  originalLength: number;
};

const PAGE: [number, number] = [595.28, 841.89];
const MARGIN = 50;
const BODY = 9;

export type MaskPhoneOptions = { phone: string };

export function maskPhone(options: MaskPhoneOptions): string {
  const digits = [...options.phone].filter((c) => c >= '0' && c <= '9').length;
  let seen = 0;
  return [...options.phone]
    .map((c) => {
      if (c < '0' || c > '9') return c;
      seen += 1;
      return seen > digits - 2 ? c : '*';
    })
    .join('');
}

class AuditWriter {
  readonly pages: PDFPage[] = [];
  private page!: PDFPage;
  private y = 0;

  constructor(
    private readonly doc: PDFDocument,
    private readonly fonts: DocumentFonts,
  ) {
    this.newPage();
  }

  private newPage(): void {
    this.page = appendPage(this.doc, PAGE);
    this.pages.push(this.page);
    this.y = PAGE[1] - MARGIN;
  }

  private ensure(height: number): void {
    if (this.y - height < MARGIN) this.newPage();
  }

  text(text: string, options: { size?: number; bold?: boolean; indent?: number; gap?: number } = {}): void {
    const size = options.size ?? BODY;
    // One regular face: headings stand out by size and colour, which spares parsing a bold file.
    const color = options.bold ? rgb(0.05, 0.15, 0.35) : rgb(0, 0, 0);
    const indent = options.indent ?? 0;
    const lines = wrapText({ text, fonts: this.fonts, size, maxWidth: PAGE[0] - 2 * MARGIN - indent });
    for (const line of lines) {
      this.ensure(size * 1.35);
      this.y -= size * 1.35;
      this.fonts.draw(this.page, line, { x: MARGIN + indent, y: this.y, size, color });
    }
    this.y -= options.gap ?? 0;
  }

  field(label: string, value: string, indent = 0): void {
    this.text(`${label} : ${value}`, { indent });
  }

  space(points: number): void {
    this.y -= points;
  }
}

export function drawAuditTrail(options: DrawAuditTrailOptions): PDFPage[] {
  const { doc, audit, originalLength } = options;
  const w = new AuditWriter(doc, getDocumentFonts({ doc }));
  const yesNo = (value: boolean) => (value ? 'oui / yes' : 'non / no');
  const orDash = (value: string | undefined) => (value?.trim() ? value : '-');

  w.text("Piste d'audit / Audit trail", { size: 16, bold: true, gap: 8 });
  w.field('Enveloppe / Envelope', audit.envelopeId);
  w.field('Document', audit.documentName);
  w.field('Objet / Subject', audit.subject);
  w.field('Expéditeur / Sender', `${audit.sender.name} <${audit.sender.email}>`);
  w.field('Créée le / Created', audit.createdAt);
  w.field('Terminée le / Completed', audit.completedAt);
  w.field('SHA-256 du fichier original / of the original file', audit.originalSha256);
  w.field('Taille du fichier original / Original file size', `${originalLength} octets / bytes`);
  w.space(8);

  w.text('Signataires / Signers', { size: 12, bold: true, gap: 2 });
  for (const signer of [...audit.signers].sort((a, b) => a.position - b.position)) {
    w.text(`${signer.position}. ${signer.name} <${signer.email}>`, { bold: true });
    w.field('Téléphone / Phone', signer.phone ? maskPhone({ phone: signer.phone }) : '-', 12);
    w.field('Code SMS vérifié le / SMS code verified at', orDash(signer.otpVerifiedAt), 12);
    w.field('Signé le / Signed at', orDash(signer.signedAt), 12);
    w.field('Adresse IP / IP address', orDash(signer.ip), 12);
    w.field('Navigateur / User agent', orDash(signer.userAgent), 12);
    w.field('Consentement / Consent', yesNo(signer.consent), 12);
    w.space(4);
  }
  w.space(4);

  w.text('Chronologie / Timeline', { size: 12, bold: true, gap: 2 });
  for (const event of audit.events) w.text(`${event.at}  ${event.description}`);
  w.space(8);

  w.text('Vérification / How to verify', { size: 12, bold: true, gap: 2 });
  w.text(
    'Ce document est certifié par une signature électronique PAdES ' +
      '(certification DocMDP, aucune modification autorisée). ' +
      'Un lecteur PDF comme Adobe Acrobat Reader affiche la certification et signale toute modification. ' +
      `Les ${originalLength} premiers octets de ce fichier sont exactement le ` +
      'document original : leur empreinte SHA-256 doit être celle indiquée ci-dessus.',
    { gap: 4 },
  );
  w.text(
    'This document is certified by a PAdES electronic signature (DocMDP certification, no changes allowed). ' +
      'A PDF reader such as Adobe Acrobat Reader shows the certification and reports any change. ' +
      `The first ${originalLength} bytes of this file are exactly the original ` +
      'document: their SHA-256 must match the value above ' +
      `(for example: head -c ${originalLength} file.pdf | sha256sum).`,
  );
  const verification = audit.verification;
  if (verification) {
    w.space(4);
    w.field('Niveau / Level', `PAdES ${verification.level}`);
    if (verification.timestampAuthority)
      w.field("Autorité d'horodatage / Time-stamp authority", verification.timestampAuthority);
    w.text(
      `Vérifier / Verify: ${verification.verifyUrl} (le fichier reste sur ` +
        'votre appareil / the file stays on your device); ' +
        `ou envoyez le PDF à / or mail the PDF to ${verification.verifyAddress} ` +
        'avec / with *VERIFY dans le sujet / in the subject; ' +
        'ou ouvrez-le dans un lecteur PDF / or open it in any PDF reader.',
    );
  }
  return w.pages;
}
