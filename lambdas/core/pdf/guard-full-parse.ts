// Before pdf-lib's complete parse (the fallback for files the lazy reader does not trust): pdf-lib
// decodes every object stream and cross-reference stream while it parses, with its pure-JS
// decoders and no output limit, and walks every /Index range of a cross-reference stream even when
// the rows are not there (/W [0 0 0] /Index [0 100000000] is 10^8 entries from 446 bytes). So every
// such stream of the file is found first (one scan for their /Type), decoded within the document's
// budget and checked like the lazy reader checks them; a bomb is PDF_TOO_COMPLEX before pdf-lib runs.
import { PDFArray, PDFContext, PDFName, PDFNumber, PDFObjectParser, PDFRawStream } from 'pdf-lib';
import type { PDFDict, PDFObject } from 'pdf-lib';
import { nestingDepth } from './bounded-object-parse.ts';
import { checkObjectStreamShape } from './lazy-context.ts';
import { LazyLoadError } from './lazy-load-error.ts';
import type { PdfBudget } from './pdf-limits.ts';
import { tooComplex } from './pdf-limits.ts';
import { asBuffer } from './pdf-syntax.ts';
import { decodeStream } from './predictor-stream-decode.ts';
import { checkXrefStreamShape } from './xref-sections.ts';

export type GuardFullParseOptions = { original: Uint8Array; budget: PdfBudget };

const TYPE_MARK = /\/Type\s*\/(ObjStm|XRef|Obj#53tm|XR#65f)\b/g;
const OBJECT_HEADER = /(\d+)[\s\0]+(\d+)[\s\0]+obj\b/g;
/** How far before a /Type the object header may be (stream dictionaries are short). */
const LOOK_BEHIND = 8 * 1024;

function numbers(dict: PDFDict, key: string): number[] | undefined {
  const value = dict.lookup(PDFName.of(key));
  if (!(value instanceof PDFArray)) return undefined;
  return value.asArray().map((item) => (item instanceof PDFNumber ? item.asNumber() : Number.NaN));
}

/** Decodes within the budget; a predictor the lazy reader does not undo does not matter here. */
function decodeOrSkip(stream: PDFRawStream, budget: PdfBudget): Uint8Array | undefined {
  try {
    return decodeStream(stream, budget);
  } catch (error) {
    if (error instanceof LazyLoadError) return undefined;
    throw error;
  }
}

function objectStartBefore(text: string, at: number): number | undefined {
  const from = Math.max(0, at - LOOK_BEHIND);
  const window = text.slice(from, at);
  let last: number | undefined;
  OBJECT_HEADER.lastIndex = 0;
  for (let m = OBJECT_HEADER.exec(window); m; m = OBJECT_HEADER.exec(window)) last = from + m.index + m[0].length;
  return last;
}

function checkStream(stream: PDFRawStream, kind: string, budget: PdfBudget): void {
  const dict = stream.dict;
  if (kind === 'ObjStm' || kind === 'Obj#53tm') {
    const count = dict.lookup(PDFName.of('N'));
    const first = dict.lookup(PDFName.of('First'));
    const bytes = decodeOrSkip(stream, budget);
    if (!bytes) return;
    checkObjectStreamShape(
      count instanceof PDFNumber ? count.asNumber() : Number.NaN,
      first instanceof PDFNumber ? first.asNumber() : Number.NaN,
      bytes.length,
    );
    return;
  }
  const widths = numbers(dict, 'W') ?? [];
  const size = dict.lookup(PDFName.of('Size'));
  const index = numbers(dict, 'Index') ?? [0, size instanceof PDFNumber ? size.asNumber() : 0];
  if (widths.length !== 3) throw tooComplex('maxXrefEntries', 'A cross-reference stream has no valid /W.');
  checkXrefStreamShape(widths, index, budget);
  const data = decodeOrSkip(stream, budget);
  if (!data) return;
  const rows = Math.floor(data.length / (widths[0]! + widths[1]! + widths[2]!));
  let entries = 0;
  for (let i = 1; i < index.length; i += 2) entries += index[i]!;
  // pdf-lib reads past the data without noticing: more announced entries than rows is a bomb.
  if (entries > rows + 1024) throw tooComplex('maxXrefEntries', 'A cross-reference stream announces rows it lacks.');
}

/** Throws PDF_TOO_COMPLEX when pdf-lib's complete parse of `original` would decode or walk too much. */
export function guardFullParse(options: GuardFullParseOptions): void {
  const buf = asBuffer(options.original);
  const text = buf.toString('latin1');
  const context = PDFContext.create();
  TYPE_MARK.lastIndex = 0;
  for (let m = TYPE_MARK.exec(text); m; m = TYPE_MARK.exec(text)) {
    const start = objectStartBefore(text, m.index);
    if (start === undefined) continue;
    options.budget.readObject();
    if (nestingDepth(buf, start) > 256) throw tooComplex('maxTreeDepth', 'An object is nested too deep.');
    let object: PDFObject;
    try {
      object = PDFObjectParser.forBytes(buf.subarray(start), context).parseObject();
    } catch {
      continue; // pdf-lib will not parse it either: nothing to decode
    }
    if (object instanceof PDFRawStream) checkStream(object, m[1]!, options.budget);
  }
}
