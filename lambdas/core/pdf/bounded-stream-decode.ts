// Decoding a stream of an untrusted PDF within its share of the document's PdfBudget
// (pdf-limits.ts): node:zlib for a lone /FlateDecode, pdf-lib's decoders for the rest.
import { constants, inflateSync } from 'node:zlib';
import { decodePDFRawStream, PDFArray, PDFName } from 'pdf-lib';
import type { PDFRawStream } from 'pdf-lib';
import { type PdfBudget, tooComplex } from './pdf-limits.ts';

function isBufferTooLarge(error: unknown): boolean {
  return error instanceof RangeError && (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE';
}

function streamFilter(stream: PDFRawStream): 'none' | 'flate' | 'other' {
  let filter = stream.dict.get(PDFName.of('Filter'));
  if (filter instanceof PDFArray && filter.size() === 1) filter = filter.get(0);
  if (filter === undefined) return 'none';
  return filter === PDFName.of('FlateDecode') ? 'flate' : 'other';
}

/** pdf-lib's decoders (LZW, ASCII85, RunLength ..., and damaged Flate), pulled in bounded chunks. */
function decodeWithPdfLib(stream: PDFRawStream, allowance: number): Uint8Array {
  const decoder = decodePDFRawStream(stream);
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const chunk = decoder.getBytes(64 * 1024);
    if (chunk.length === 0) break;
    total += chunk.length;
    if (total > allowance) throw tooComplex('maxStreamBytes', 'A stream decompresses to too many bytes.');
    chunks.push(new Uint8Array(chunk));
    if (chunk.length < 64 * 1024) break;
  }
  return Buffer.concat(chunks);
}

/**
 * Decodes a stream's filters with an output cap (the stream's share of the document's budget).
 * node:zlib for the usual lone /FlateDecode (pdf-lib's inflate is pure JS and unbounded).
 */
export function decodeStreamBounded(stream: PDFRawStream, budget: PdfBudget): Uint8Array {
  const allowance = budget.streamAllowance();
  if (allowance <= 0) throw tooComplex('maxDocumentInflateBytes', 'The document decompresses to too many bytes.');
  const filter = streamFilter(stream);
  let bytes: Uint8Array;
  if (filter === 'none') {
    bytes = stream.getContents();
  } else if (filter === 'flate') {
    try {
      bytes = inflateSync(stream.getContents(), { maxOutputLength: allowance, finishFlush: constants.Z_SYNC_FLUSH });
    } catch (error) {
      if (isBufferTooLarge(error))
        throw tooComplex('maxStreamBytes', 'A stream decompresses to too many bytes.', error);
      bytes = decodeWithPdfLib(stream, allowance); // damaged data: pdf-lib's decoder is more forgiving
    }
  } else {
    bytes = decodeWithPdfLib(stream, allowance);
  }
  budget.spendInflate(bytes.length);
  return bytes;
}
