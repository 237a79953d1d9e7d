// /ActualText for glyphs that do not spell their text in order (.notdef boxes, shaped Indic and
// Thai clusters): the text-showing operators pdf-lib just drew are wrapped in a marked-content span
// that carries the real text, so extraction and copy give it back.
import { endMarkedContent, PDFHexString, PDFName, PDFOperator, PDFOperatorNames } from 'pdf-lib';
import type { PDFDocument, PDFPage } from 'pdf-lib';

/** The operators of the content stream pdf-lib draws into (pdf-lib keeps it private). */
export function contentOperators(page: PDFPage): PDFOperator[] {
  return (page as unknown as { getContentStream(): { operators: PDFOperator[] } }).getContentStream().operators;
}

export type MarkActualTextOptions = { operators: PDFOperator[]; start: number; doc: PDFDocument; text: string };

/**
 * Wraps the text-showing operators drawText just added in a /Span with /ActualText. Inside the
 * text object, after its positioning: readers (poppler) place the actual text where the glyphs are,
 * which they do not when the span opens before BT.
 */
export function markActualText(options: MarkActualTextOptions): void {
  const { operators, start } = options;
  const name = (operator: PDFOperator) => (operator as unknown as { name: string }).name;
  const shows = operators.map((op, index) => (index >= start && name(op) === 'Tj' ? index : -1)).filter((i) => i >= 0);
  if (shows.length === 0) return;
  // An inline property list: PDFOperator writes any PDF object, though its type lists fewer.
  const properties = options.doc.context.obj({ ActualText: PDFHexString.fromText(options.text) }) as unknown as PDFName;
  const begin = PDFOperator.of(PDFOperatorNames.BeginMarkedContentSequence, [PDFName.of('Span'), properties]);
  operators.splice(shows[shows.length - 1]! + 1, 0, endMarkedContent());
  operators.splice(shows[0]!, 0, begin);
}
