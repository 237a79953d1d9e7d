// Builders for test inputs: small PDFs made with pdf-lib and `*SIGN` emails made with
// nodemailer's MailComposer, the same way a mail program would send them.
import MailComposer from 'nodemailer/lib/mail-composer';
import { PDFDocument, PDFName, PDFString, StandardFonts, degrees } from 'pdf-lib';

export type MakePdfOptions = { pages?: number; title?: string; rotate?: number; size?: [number, number] };

export async function makePdf(options: MakePdfOptions = {}): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 0; i < (options.pages ?? 1); i += 1) {
    const page = doc.addPage(options.size ?? [595.28, 841.89]);
    page.drawText(`${options.title ?? 'Contrat de prestation'} — page ${i + 1}`, { x: 50, y: 780, size: 16, font });
    if (options.rotate) page.setRotation(degrees(options.rotate));
  }
  return doc.save();
}

/** A PDF whose form holds a signature field with a value: it counts as already signed. */
export async function makeSignedLookingPdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([595, 842]);
  const signature = doc.context.obj({
    Type: 'Sig',
    Filter: 'Adobe.PPKLite',
    SubFilter: 'adbe.pkcs7.detached',
    ByteRange: [0, 0, 0, 0],
    Contents: PDFString.of('00'),
  });
  const widget = doc.context.obj({
    Type: 'Annot',
    Subtype: 'Widget',
    FT: 'Sig',
    T: PDFString.of('Signature1'),
    Rect: [0, 0, 0, 0],
    V: doc.context.register(signature),
    P: page.ref,
  });
  const widgetRef = doc.context.register(widget);
  page.node.set(PDFName.of('Annots'), doc.context.obj([widgetRef]));
  doc.catalog.set(PDFName.of('AcroForm'), doc.context.obj({ Fields: [widgetRef], SigFlags: 3 }));
  return doc.save();
}

export type MailAttachmentFixture = {
  filename: string;
  content: Uint8Array | string;
  contentType?: string;
  cid?: string;
};

export type SignRequestMailOptions = {
  from?: string;
  to?: string[];
  cc?: string[];
  subject?: string;
  text?: string;
  html?: string;
  attachments?: MailAttachmentFixture[];
  /** The Message-ID header (a random one when unset). */
  messageId?: string;
  inReplyTo?: string;
  references?: string;
};

export async function buildSignRequestMail(options: SignRequestMailOptions = {}): Promise<Uint8Array> {
  const composer = new MailComposer({
    from: options.from ?? 'Claire Dubois <claire@agence-dubois.fr>',
    to: options.to ?? ['Jeanne Martin <jeanne.martin@client.fr>'],
    cc: options.cc,
    subject: options.subject ?? '*SIGN Contrat de prestation',
    text: options.text ?? 'Bonjour,\n\nVoici le contrat à signer.\n\nClaire',
    html: options.html,
    messageId: options.messageId ?? `<${Math.random().toString(36).slice(2)}@agence-dubois.fr>`,
    inReplyTo: options.inReplyTo,
    references: options.references,
    attachments: (options.attachments ?? []).map((a) => ({
      filename: a.filename,
      content: typeof a.content === 'string' ? a.content : Buffer.from(a.content),
      contentType: a.contentType,
      cid: a.cid,
    })),
  });
  return new Uint8Array(await composer.compile().build());
}
