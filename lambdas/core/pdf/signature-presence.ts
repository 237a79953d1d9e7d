// The one answer to "is this PDF already signed?", used by intake and by finalization.
// Signed means: a certification (catalog /Perms /DocMDP), or a signature field (/FT /Sig, possibly
// inherited from a parent field) whose value /V is a signature dictionary carrying /ByteRange or
// /Contents. Not signed: empty signature fields, a /V that is not a dictionary, and usage-rights
// signatures (UR3, Reader extensions: /Perms /UR3, or a /V whose /Reference is UR3 only), which
// the certification replaces (design.md, section 5).
//
// The field tree is untrusted: a field may list itself in its /Kids. A loop is a PDF_TOO_COMPLEX
// refusal; the walk reads each node once and is bounded in depth and node count (pdf-limits.ts).
import { PDFArray, PDFDict, PDFName, PDFRef } from 'pdf-lib';
import type { PDFContext, PDFDocument, PDFObject } from 'pdf-lib';
import { PDF_LIMITS, tooComplex } from './pdf-limits.ts';

export type SignatureKind = 'certification' | 'approval';

export type FindExistingSignatureOptions = { doc: PDFDocument };

function resolve(context: PDFContext, value: PDFObject | undefined): PDFObject | undefined {
  return value instanceof PDFRef ? context.lookup(value) : value;
}

function isUsageRightsOnly(context: PDFContext, signature: PDFDict): boolean {
  const references = resolve(context, signature.get(PDFName.of('Reference')));
  if (!(references instanceof PDFArray) || references.size() === 0) return false;
  for (let i = 0; i < references.size(); i += 1) {
    const reference = resolve(context, references.get(i));
    const method =
      reference instanceof PDFDict ? resolve(context, reference.get(PDFName.of('TransformMethod'))) : undefined;
    if (method !== PDFName.of('UR3')) return false;
  }
  return true;
}

/** True when a field value is a signature that locks the document. */
function isSignatureValue(context: PDFContext, value: PDFObject | undefined): boolean {
  const signature = resolve(context, value);
  if (!(signature instanceof PDFDict)) return false;
  if (isUsageRightsOnly(context, signature)) return false;
  return signature.has(PDFName.of('ByteRange')) || signature.has(PDFName.of('Contents'));
}

type Visit = { node: PDFObject | undefined; depth: number; inheritedType: PDFObject | undefined; leave?: PDFDict };

/**
 * Walks the field tree depth first, each node once; true as soon as a signed signature field is
 * found. A node listed twice is read once; a node that is its own ancestor (a /Kids loop) is
 * refused: readers' field walks stop there, and the certification field could go unseen (mutool
 * then reports no signature).
 */
function hasSignedField(context: PDFContext, fields: PDFArray): boolean {
  const visited = new Set<PDFObject>();
  const onPath = new Set<PDFObject>();
  const stack: Visit[] = [];
  for (let i = fields.size() - 1; i >= 0; i -= 1)
    stack.push({ node: fields.get(i), depth: 0, inheritedType: undefined });
  while (stack.length > 0) {
    const { node, depth, inheritedType, leave } = stack.pop()!;
    if (leave) {
      onPath.delete(leave);
      continue;
    }
    const field = resolve(context, node);
    if (!(field instanceof PDFDict)) continue;
    if (onPath.has(field)) throw tooComplex('loop', 'A form field is its own ancestor (looping /Kids).');
    if (visited.has(field)) continue;
    visited.add(field);
    if (visited.size > PDF_LIMITS.maxFieldNodes)
      throw tooComplex('maxFieldNodes', `More than ${PDF_LIMITS.maxFieldNodes} form field nodes.`);
    if (depth > PDF_LIMITS.maxFieldDepth) throw tooComplex('maxFieldDepth', 'Form fields are nested too deep.');
    const type = resolve(context, field.get(PDFName.of('FT'))) ?? inheritedType;
    if (type === PDFName.of('Sig') && isSignatureValue(context, field.get(PDFName.of('V')))) return true;
    const kids = resolve(context, field.get(PDFName.of('Kids')));
    if (kids instanceof PDFArray) {
      onPath.add(field);
      stack.push({ node: undefined, depth, inheritedType, leave: field });
      for (let i = kids.size() - 1; i >= 0; i -= 1)
        stack.push({ node: kids.get(i), depth: depth + 1, inheritedType: type });
    }
  }
  return false;
}

/** The signature the document already carries, if any (certification first). */
export function findExistingSignature(options: FindExistingSignatureOptions): SignatureKind | undefined {
  const { context, catalog } = options.doc;
  const perms = resolve(context, catalog.get(PDFName.of('Perms')));
  if (perms instanceof PDFDict && perms.has(PDFName.of('DocMDP'))) return 'certification';
  const form = resolve(context, catalog.get(PDFName.of('AcroForm')));
  const fields = form instanceof PDFDict ? resolve(context, form.get(PDFName.of('Fields'))) : undefined;
  if (fields instanceof PDFArray && hasSignedField(context, fields)) return 'approval';
  return undefined;
}
