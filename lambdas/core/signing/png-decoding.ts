// Decodes a PNG completely (chunk by chunk, every CRC, the IDAT data inflated with an output cap
// and every scanline's filter checked), without a drawing library: a signature image that passes
// here is one that stamping can embed. A valid header over garbage pixel data is refused at submit,
// not discovered when the document is stamped after everyone signed.
import { crc32, inflateSync } from 'node:zlib';

export const PNG_DECODE_LIMITS = {
  /** Decoded (filtered) pixel bytes: 4000 x 2000 RGBA and then some. */
  maxDecodedBytes: 40 * 1024 * 1024,
  /** Chunks in one file (signature_pad output has 4 or 5). */
  maxChunks: 10_000,
} as const;

export type PngHeader = { width: number; height: number; bitDepth: number; colourType: number; interlace: number };

export class PngDecodeError extends Error {
  override readonly name = 'PngDecodeError';
}

const SAMPLES: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
/** Adam7 passes: x start, y start, x step, y step. */
const ADAM7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
] as const;

/** The scanlines of the image: per pass, rows and bytes per row (without the filter byte). */
function scanlines(header: PngHeader): Array<{ rows: number; rowBytes: number }> {
  const bitsPerPixel = (SAMPLES[header.colourType] ?? 1) * header.bitDepth;
  const rowBytes = (width: number) => Math.ceil((width * bitsPerPixel) / 8);
  if (header.interlace === 0) return [{ rows: header.height, rowBytes: rowBytes(header.width) }];
  return ADAM7.map(([x0, y0, dx, dy]) => {
    const width = Math.ceil(Math.max(0, header.width - x0) / dx);
    const rows = Math.ceil(Math.max(0, header.height - y0) / dy);
    return { rows: width === 0 ? 0 : rows, rowBytes: rowBytes(width) };
  });
}

/** Checks the whole file; throws PngDecodeError with the reason. `header` comes from a checked IHDR. */
export function decodePng(bytes: Uint8Array, header: PngHeader): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const idat: Uint8Array[] = [];
  let at = 8;
  let chunks = 0;
  let ended = false;
  let palette = false;
  let idatDone = false;
  while (at < bytes.length) {
    if (at + 12 > bytes.length) throw new PngDecodeError('A chunk is truncated.');
    const length = view.getUint32(at);
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    if (length > bytes.length - at - 12) throw new PngDecodeError(`Chunk ${type} is longer than the file.`);
    if (crc32(bytes.subarray(at + 4, at + 8 + length)) !== view.getUint32(at + 8 + length))
      throw new PngDecodeError(`Chunk ${type} has a wrong CRC.`);
    chunks += 1;
    if (chunks > PNG_DECODE_LIMITS.maxChunks) throw new PngDecodeError('Too many chunks.');
    if (chunks === 1 && type !== 'IHDR') throw new PngDecodeError('The first chunk is not IHDR.');
    if (type === 'PLTE') palette = true;
    if (type === 'IDAT') {
      if (idatDone) throw new PngDecodeError('IDAT chunks are not consecutive.');
      idat.push(bytes.subarray(at + 8, at + 8 + length));
    } else if (idat.length > 0) idatDone = true;
    at += 12 + length;
    if (type === 'IEND') {
      ended = true;
      break;
    }
  }
  if (!ended || at !== bytes.length) throw new PngDecodeError('The file does not end with IEND.');
  if (idat.length === 0) throw new PngDecodeError('There is no image data.');
  if (header.colourType === 3 && !palette) throw new PngDecodeError('A palette image has no palette.');
  const lines = scanlines(header);
  const expected = lines.reduce((sum, pass) => sum + pass.rows * (1 + pass.rowBytes), 0);
  if (expected > PNG_DECODE_LIMITS.maxDecodedBytes) throw new PngDecodeError('The image is too large once decoded.');
  let pixels: Uint8Array;
  try {
    pixels = inflateSync(Buffer.concat(idat), { maxOutputLength: expected + 1 });
  } catch (error) {
    throw new PngDecodeError('The image data cannot be decompressed.', { cause: error });
  }
  if (pixels.length !== expected) throw new PngDecodeError('The image data does not match the image size.');
  let row = 0;
  for (const pass of lines) {
    for (let r = 0; r < pass.rows; r += 1) {
      if (pixels[row]! > 4) throw new PngDecodeError('A scanline has an unknown filter.');
      row += 1 + pass.rowBytes;
    }
  }
}
