// Adds the certification signature: an invisible signature field joined to the document's form,
// /SigFlags 3, catalog /Perms /DocMDP, and the signature dictionary itself with /ByteRange and
// /Contents placeholders that certify-document.ts fills in place later.
import { PDFArray, PDFDict, PDFHexString, PDFName, PDFNumber, PDFRef, PDFString } from 'pdf-lib';
import type { PDFDocument, PDFObject, PDFPage } from 'pdf-lib';
import { BYTE_RANGE_PLACEHOLDER, encodeTextString, formatPdfDate, SIGNATURE_CONTENTS_BYTES } from './pdf-syntax.ts';

export type AddCertificationFieldOptions = {
  doc: PDFDocument;
  widgetPage: PDFPage;
  signingTime: Date;
  signerName?: string;
  reason?: string;
  location?: string;
};

export type CertificationField = { sigRef: PDFRef; sigDict: Uint8Array };

function lookupDict(doc: PDFDocument, value: PDFObject | undefined): PDFDict | undefined {
  const resolved = value instanceof PDFRef ? doc.context.lookup(value) : value;
  return resolved instanceof PDFDict ? resolved : undefined;
}

function fieldName(value: PDFObject | undefined): string | undefined {
  if (value instanceof PDFString || value instanceof PDFHexString) return value.decodeText();
  return undefined;
}

function uniqueFieldName(doc: PDFDocument, fields: PDFArray): string {
  const taken = new Set<string>();
  for (let i = 0; i < fields.size(); i += 1) {
    const name = fieldName(lookupDict(doc, fields.get(i))?.get(PDFName.of('T')));
    if (name) taken.add(name);
  }
  let name = 'mailsign-certification';
  for (let n = 2; taken.has(name); n += 1) name = `mailsign-certification-${n}`;
  return name;
}

function ensureAcroForm(doc: PDFDocument): { form: PDFDict; fields: PDFArray } {
  const { context, catalog } = doc;
  let form = lookupDict(doc, catalog.get(PDFName.of('AcroForm')));
  if (!form) {
    form = context.obj({ Fields: [] });
    catalog.set(PDFName.of('AcroForm'), context.register(form));
  }
  const existing = context.lookup(form.get(PDFName.of('Fields')));
  let fields: PDFArray;
  if (existing instanceof PDFArray) {
    fields = existing;
  } else {
    fields = context.obj([]);
    form.set(PDFName.of('Fields'), fields);
  }
  return { form, fields };
}

function buildSignatureDictionary(options: AddCertificationFieldOptions): Uint8Array {
  const entries = [
    '/Type /Sig',
    '/Filter /Adobe.PPKLite',
    '/SubFilter /ETSI.CAdES.detached',
    // @signpdf/signpdf finds the placeholders by text: /ByteRange first, then "/Contents <".
    BYTE_RANGE_PLACEHOLDER,
    `/Contents <${'0'.repeat(SIGNATURE_CONTENTS_BYTES * 2)}>`,
    `/M (${formatPdfDate(options.signingTime)})`,
  ];
  if (options.signerName) entries.push(`/Name ${encodeTextString(options.signerName)}`);
  if (options.reason) entries.push(`/Reason ${encodeTextString(options.reason)}`);
  if (options.location) entries.push(`/Location ${encodeTextString(options.location)}`);
  entries.push(
    '/Reference [<< /Type /SigRef /TransformMethod /DocMDP /TransformParams ' +
      '<< /Type /TransformParams /P 1 /V /1.2 >> >>]',
    '/Prop_Build << /App << /Name /mailsign >> >>',
  );
  return new TextEncoder().encode(`<< ${entries.join('\n')} >>`);
}

export function addCertificationField(options: AddCertificationFieldOptions): CertificationField {
  const { doc, widgetPage } = options;
  const { context, catalog } = doc;
  const sigRef = context.nextRef();
  const { form, fields } = ensureAcroForm(doc);

  const widget = context.obj({
    Type: 'Annot',
    Subtype: 'Widget',
    FT: 'Sig',
    T: PDFString.of(uniqueFieldName(doc, fields)),
    V: sigRef,
    F: 132, // Print | Locked
    Rect: [0, 0, 0, 0],
    P: widgetPage.ref,
  });
  const widgetRef = context.register(widget);
  fields.push(widgetRef);
  widgetPage.node.addAnnot(widgetRef);

  form.set(PDFName.of('SigFlags'), PDFNumber.of(3));
  // A signed document is shown from its AcroForm: an XFA rendition could differ from what was signed.
  form.delete(PDFName.of('XFA'));
  catalog.delete(PDFName.of('NeedsRendering'));
  // Usage rights (UR3) would be reported as broken by the certification: replaced, not kept.
  catalog.set(PDFName.of('Perms'), context.obj({ DocMDP: sigRef }));

  return { sigRef, sigDict: buildSignatureDictionary(options) };
}
