// Cross-reference and object streams are usually compressed with a PNG predictor, which
// pdf-lib's decoders ignore; both the lazy reader and the guard before pdf-lib's parse need the
// rows as written, decoded within the document's budget.
import { PDFDict, PDFName, PDFNumber } from 'pdf-lib';
import type { PDFRawStream } from 'pdf-lib';
import { decodeStreamBounded } from './bounded-stream-decode.ts';
import { fail } from './lazy-load-error.ts';
import type { PdfBudget } from './pdf-limits.ts';

/** Decodes a stream within the budget, undoing a PNG predictor (/Predictor 10-15) that pdf-lib ignores. */
export function decodeStream(stream: PDFRawStream, budget: PdfBudget): Uint8Array {
  const bytes = decodeStreamBounded(stream, budget);
  const parms = stream.dict.get(PDFName.of('DecodeParms'));
  if (parms === undefined) return bytes;
  if (!(parms instanceof PDFDict)) fail('Unsupported /DecodeParms.');
  const number = (key: string, fallback: number) => {
    const value = parms.get(PDFName.of(key));
    if (value === undefined) return fallback;
    if (!(value instanceof PDFNumber)) fail(`Unsupported /${key}.`);
    return value.asNumber();
  };
  const predictor = number('Predictor', 1);
  if (predictor === 1) return bytes;
  if (predictor < 10 || number('Colors', 1) !== 1 || number('BitsPerComponent', 8) !== 8)
    fail('Unsupported predictor.');
  const columns = number('Columns', 1);
  const rows = Math.floor(bytes.length / (columns + 1));
  const out = new Uint8Array(rows * columns);
  for (let r = 0; r < rows; r += 1) {
    const type = bytes[r * (columns + 1)]!;
    const from = r * (columns + 1) + 1;
    const at = r * columns;
    for (let c = 0; c < columns; c += 1) {
      const raw = bytes[from + c]!;
      const left = c > 0 ? out[at + c - 1]! : 0;
      const up = r > 0 ? out[at - columns + c]! : 0;
      const upLeft = r > 0 && c > 0 ? out[at - columns + c - 1]! : 0;
      let value: number;
      if (type === 0) value = raw;
      else if (type === 1) value = raw + left;
      else if (type === 2) value = raw + up;
      else if (type === 3) value = raw + ((left + up) >> 1);
      else if (type === 4) {
        const p = left + up - upLeft;
        const pa = Math.abs(p - left);
        const pb = Math.abs(p - up);
        const pc = Math.abs(p - upLeft);
        value = raw + (pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft);
      } else fail('Unknown PNG predictor row type.');
      out[at + c] = value & 0xff;
    }
  }
  return out;
}
