// Puts a signature PNG into the document as an image XObject, with node:zlib instead of pdf-lib's
// pure-JS path. pdf-lib decodes a PNG with UPNG + pako, converts it to RGBA, splits the alpha and
// re-deflates both with pako: for three signature images that was half of a 1 MB finalization
// (profile in issue 12). Here the common PNGs (8 bits per sample, not interlaced: what browsers'
// canvas.toDataURL gives) are inflated and re-deflated natively; an opaque gray or RGB PNG is not
// even re-encoded (its IDAT stream is a valid FlateDecode stream with the PNG predictors), and one
// with alpha is split into colour and soft mask without undoing its row filters (PDF does). Any
// other PNG (palette, 16-bit, interlaced, colour-key transparency) goes through pdf-lib.
import { deflateSync, inflateSync } from 'node:zlib';
import { degrees, drawImage } from 'pdf-lib';
import type { PDFDocument, PDFPage, PDFRef } from 'pdf-lib';
import { splitRgbaRows } from './split-rgba.ts';

export type EmbeddedImage = { ref: PDFRef; width: number; height: number };

export type EmbedPngOptions = { doc: PDFDocument; png: Uint8Array };

type PngHeader = { width: number; height: number; bitDepth: number; colorType: number; interlace: number };
type PngChunks = { header: PngHeader; idat: Uint8Array; hasTransparencyChunk: boolean };

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** Samples per pixel by PNG colour type (0 gray, 2 RGB, 4 gray+alpha, 6 RGBA). */
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 4: 2, 6: 4 };
/** A signature image is small; anything beyond this is not one (and would be a decompression bomb). */
const MAX_PIXELS = 16_000_000;
/** Decoded image data inflated into one buffer allocated in advance, up to this size. */
const ONE_BUFFER_UP_TO = 4 * 1024 * 1024;

function readUint32(bytes: Uint8Array, at: number): number {
  return ((bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!) >>> 0;
}

function readChunks(png: Uint8Array): PngChunks {
  if (png.length < 8 || SIGNATURE.some((byte, i) => png[i] !== byte)) throw new Error('Not a PNG file.');
  let header: PngHeader | undefined;
  const data: Uint8Array[] = [];
  let hasTransparencyChunk = false;
  let at = 8;
  while (at + 8 <= png.length) {
    const length = readUint32(png, at);
    const type = String.fromCharCode(png[at + 4]!, png[at + 5]!, png[at + 6]!, png[at + 7]!);
    const start = at + 8;
    if (start + length + 4 > png.length) throw new Error(`The PNG chunk ${type} is truncated.`);
    const body = png.subarray(start, start + length);
    if (type === 'IHDR' && length >= 13) {
      header = {
        width: readUint32(body, 0),
        height: readUint32(body, 4),
        bitDepth: body[8]!,
        colorType: body[9]!,
        interlace: body[12]!,
      };
    } else if (type === 'IDAT') data.push(body);
    else if (type === 'tRNS') hasTransparencyChunk = true;
    else if (type === 'IEND') break;
    at = start + length + 4;
  }
  if (!header || data.length === 0) throw new Error('The PNG has no header or no image data.');
  return { header, idat: data.length === 1 ? data[0]! : Buffer.concat(data), hasTransparencyChunk };
}

/**
 * Splits the last channel off the still-filtered rows. Every PNG row filter predicts a byte from
 * the same channel of the neighbouring pixels (left, up, up-left: one pixel apart), so the colour
 * bytes alone, and the alpha bytes alone, each with the row's filter type in front, are valid
 * PNG-predicted rows of a 3- (or 1-) channel image: PDF undoes them (FlateDecode, /Predictor 15).
 * No arithmetic per byte here, only a scatter (RGBA, what signature pads export: split-rgba.ts).
 * The result may be a view that the next call overwrites: deflate it at once.
 */
function splitFilteredAlpha(raw: Uint8Array, header: PngHeader, channels: number) {
  const { width, height } = header;
  const rowBytes = width * channels;
  for (let y = 0; y < height; y += 1) {
    const filter = raw[y * (rowBytes + 1)]!;
    if (filter > 4) throw new Error(`Unknown PNG row filter ${filter}.`);
  }
  if (channels === 4) return splitRgbaRows({ raw, width, height });
  const color = new Uint8Array(height * (1 + width));
  const alpha = new Uint8Array(height * (1 + width));
  for (let y = 0; y < height; y += 1) {
    let src = y * (rowBytes + 1);
    let t = y * (1 + width);
    color[t] = raw[src]!;
    alpha[t++] = raw[src++]!;
    for (let x = 0; x < width; x += 1, src += 2, t += 1) {
      color[t] = raw[src]!;
      alpha[t] = raw[src + 1]!;
    }
  }
  return { color, alpha };
}

function registerImage(
  doc: PDFDocument,
  options: { data: Uint8Array; width: number; height: number; gray: boolean; extra?: Record<string, unknown> },
): PDFRef {
  const stream = doc.context.stream(options.data, {
    Type: 'XObject',
    Subtype: 'Image',
    Width: options.width,
    Height: options.height,
    BitsPerComponent: 8,
    ColorSpace: options.gray ? 'DeviceGray' : 'DeviceRGB',
    Filter: 'FlateDecode',
    ...options.extra,
  });
  return doc.context.register(stream);
}

/** Embeds the PNG; throws on a PNG that cannot be decoded (the caller names the refusal). */
export async function embedPng(options: EmbedPngOptions): Promise<EmbeddedImage> {
  const { doc, png } = options;
  const { header, idat, hasTransparencyChunk } = readChunks(png);
  const channels = CHANNELS[header.colorType];
  const fast = header.bitDepth === 8 && header.interlace === 0 && channels !== undefined && !hasTransparencyChunk;
  if (!fast) {
    const image = await doc.embedPng(png);
    return { ref: image.ref, width: image.width, height: image.height };
  }
  const { width, height } = header;
  if (width === 0 || height === 0 || width * height > MAX_PIXELS) throw new Error('The PNG size is not acceptable.');
  const expected = height * (width * channels + 1);
  // Inflating checks the data in full (a PNG with garbage IDAT is refused here, not drawn broken).
  // Into one buffer of the expected size: zlib's default 16 KB chunks, joined at the end, cost more
  // than the inflating itself (0.7 -> 0.3 ms for a 600x200 RGBA signature). Only up to a few MB
  // allocated before the data is seen (a header may lie about the size).
  const chunkSize = expected < ONE_BUFFER_UP_TO ? Math.max(expected + 1, 64) : undefined;
  const raw = inflateSync(idat, { maxOutputLength: expected + 1, chunkSize });
  if (raw.length !== expected) throw new Error('The PNG image data does not match its size.');
  const gray = channels <= 2;
  if (channels === 1 || channels === 3) {
    // Opaque: the IDAT stream itself, read through the PNG predictors (PDF 32000 7.4.4.4).
    for (let y = 0; y < height; y += 1) {
      if (raw[y * (width * channels + 1)]! > 4) throw new Error('Unknown PNG row filter.');
    }
    const ref = registerImage(doc, {
      data: idat,
      width,
      height,
      gray,
      extra: { DecodeParms: { Predictor: 15, Colors: channels, BitsPerComponent: 8, Columns: width } },
    });
    return { ref, width, height };
  }
  const { color, alpha } = splitFilteredAlpha(raw, header, channels);
  // Level 1: a signature is mostly empty background, which the fastest level already shrinks well.
  // Both deflated before anything else runs (the split may be a view the next split overwrites).
  const alphaData = deflateSync(alpha, { level: 1 });
  const colorData = deflateSync(color, { level: 1 });
  const predicted = (colors: number) => ({ Predictor: 15, Colors: colors, BitsPerComponent: 8, Columns: width });
  const smask = registerImage(doc, {
    data: alphaData,
    width,
    height,
    gray: true,
    extra: { DecodeParms: predicted(1) },
  });
  const ref = registerImage(doc, {
    data: colorData,
    width,
    height,
    gray,
    extra: { SMask: smask, DecodeParms: predicted(channels - 1) },
  });
  return { ref, width, height };
}

export type DrawEmbeddedImageOptions = {
  page: PDFPage;
  image: EmbeddedImage;
  x: number;
  y: number;
  width: number;
  height: number;
};

/** page.drawImage for an image embedded by embedPng (pdf-lib's wants its own PDFImage). */
export function drawEmbeddedImage(options: DrawEmbeddedImageOptions): void {
  const { page, image, x, y, width, height } = options;
  const name = page.node.newXObject('Image', image.ref);
  page.pushOperators(
    ...drawImage(name, { x, y, width, height, rotate: degrees(0), xSkew: degrees(0), ySkew: degrees(0) }),
  );
}
