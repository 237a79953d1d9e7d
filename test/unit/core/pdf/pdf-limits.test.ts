// The bounds of reading an untrusted PDF: inflate caps per stream and per document, named refusals,
// and an update numbered from what the file uses, never from its declared /Size.
import { deflateSync } from 'node:zlib';
import { PDFContext, PDFName, PDFRawStream } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { prepareDocument } from '../../../../lambdas/core/pdf/index.ts';
import { decodeStreamBounded } from '../../../../lambdas/core/pdf/bounded-stream-decode.ts';
import { PDF_LIMITS, PdfBudget } from '../../../../lambdas/core/pdf/pdf-limits.ts';
import { simplePdf } from '../../../support/malformed-pdfs.ts';
import { makeAudit, makeStamps, SIGNING_TIME } from './pdf-test-fixtures.ts';

function flateStream(decodedSize: number): PDFRawStream {
  const context = PDFContext.create();
  const dict = context.obj({ Filter: 'FlateDecode' });
  return PDFRawStream.of(dict, deflateSync(Buffer.alloc(decodedSize)));
}

describe('decodeStreamBounded', () => {
  it('decodes a stream within the cap', () => {
    expect(decodeStreamBounded(flateStream(1000), new PdfBudget()).length).toBe(1000);
  });

  it('refuses a stream that inflates past the per-stream cap', () => {
    expect(() => decodeStreamBounded(flateStream(PDF_LIMITS.maxStreamBytes + 1), new PdfBudget())).toThrow(
      expect.objectContaining({ code: 'PDF_TOO_COMPLEX', details: { limit: 'maxStreamBytes' } }),
    );
  });

  it('refuses when the document as a whole inflates past its cap', () => {
    const budget = new PdfBudget();
    const size = 50 * 1024 * 1024;
    const decode = () => decodeStreamBounded(flateStream(size), budget);
    decode();
    decode();
    decode();
    expect(decode).toThrow(expect.objectContaining({ code: 'PDF_TOO_COMPLEX' }));
  });

  it('reads an unfiltered stream as is', () => {
    const context = PDFContext.create();
    const stream = PDFRawStream.of(context.obj({}), new Uint8Array([1, 2, 3]));
    expect(stream.dict.get(PDFName.of('Filter'))).toBeUndefined();
    expect([...decodeStreamBounded(stream, new PdfBudget())]).toEqual([1, 2, 3]);
  });
});

describe('numbering of the update', () => {
  it.each(['15000000', '1000000000'])('ignores a declared /Size of %s', async (size) => {
    const original = simplePdf({ size });
    const prepared = Buffer.from(
      await prepareDocument({ original, stamps: makeStamps(1), audit: makeAudit(), signingTime: SIGNING_TIME }),
    );
    const update = prepared.subarray(original.length).toString('latin1');
    const declared = Number(/\/Size (\d+)/.exec(update)?.[1]);
    const numbers = [...update.matchAll(/^(\d+) 0 obj/gm)].map((m) => Number(m[1]));
    expect(declared).toBe(Math.max(...numbers) + 1);
    expect(declared).toBeLessThan(100);
  });
});
