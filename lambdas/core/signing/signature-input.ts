// Validation of what the page submits: the drawn signature (a real PNG of sane size, from its
// bytes, not its label, decoded completely: png-decoding.ts) and where to stamp it (fractions of
// the displayed page, top-left origin).
import { crc32 } from 'node:zlib';
import { DomainError } from '../errors.ts';
import type { DocumentRecord, SignaturePlacement } from '../envelopes/envelope-records.ts';
import { decodePng, PngDecodeError } from './png-decoding.ts';

export const IMAGE_LIMITS = { maxBytes: 1024 * 1024, minSide: 20, maxSide: 4000 } as const;
export const PLACEMENT_LIMITS = { maxCount: 50, minWidth: 0.03, minHeight: 0.015 } as const;

const DATA_URL_PREFIX = /^data:image\/png;base64,/i;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const IEND_CHUNK = [0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82];
/** PNG colour types and the bit depths each allows (PNG spec, 11.2.2). */
const BIT_DEPTHS: Record<number, number[]> = {
  0: [1, 2, 4, 8, 16],
  2: [8, 16],
  3: [1, 2, 4, 8],
  4: [8, 16],
  6: [8, 16],
};
/** Rounding slack for fractions computed in the browser (x + width may be 1.0000000000000002). */
const EPSILON = 1e-9;

export type SignatureImage = { bytes: Uint8Array; width: number; height: number };

const imageInvalid = (message: string) => new DomainError({ code: 'IMAGE_INVALID', message });

export function parseSignatureImage(input: unknown): SignatureImage {
  if (typeof input !== 'string' || !DATA_URL_PREFIX.test(input))
    throw imageInvalid('The signature must be a PNG image (data URL).');
  const base64 = input.replace(DATA_URL_PREFIX, '');
  if (base64.length > Math.ceil((IMAGE_LIMITS.maxBytes * 4) / 3) + 4)
    throw imageInvalid('The signature image is larger than 1 MB.');
  if (base64.length % 4 !== 0 || !BASE64.test(base64)) throw imageInvalid('The signature image is not valid base64.');
  const bytes = new Uint8Array(Buffer.from(base64, 'base64'));
  if (bytes.length > IMAGE_LIMITS.maxBytes) throw imageInvalid('The signature image is larger than 1 MB.');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const startsWith = (expected: number[], offset: number) => expected.every((byte, i) => bytes[offset + i] === byte);
  const ihdrType = String.fromCharCode(...bytes.subarray(12, 16));
  if (bytes.length < 57 || !startsWith(PNG_SIGNATURE, 0) || view.getUint32(8) !== 13 || ihdrType !== 'IHDR') {
    throw imageInvalid('The signature image is not a PNG file.');
  }
  if (crc32(bytes.subarray(12, 29)) !== view.getUint32(29) || !startsWith(IEND_CHUNK, bytes.length - 12)) {
    throw imageInvalid('The signature image is damaged or truncated.');
  }
  const width = view.getUint32(16);
  const height = view.getUint32(20);
  const [bitDepth = 0, colourType = 0, compression, filter, interlace = 0] = bytes.subarray(24, 29);
  if (!BIT_DEPTHS[colourType]?.includes(bitDepth) || compression !== 0 || filter !== 0 || interlace > 1) {
    throw imageInvalid('The signature image has an unsupported PNG format.');
  }
  const sideOk = (side: number) => side >= IMAGE_LIMITS.minSide && side <= IMAGE_LIMITS.maxSide;
  if (!sideOk(width) || !sideOk(height)) {
    throw imageInvalid(
      `The signature image must be ${IMAGE_LIMITS.minSide} to ${IMAGE_LIMITS.maxSide} pixels wide and high.`,
    );
  }
  try {
    decodePng(bytes, { width, height, bitDepth, colourType, interlace });
  } catch (error) {
    if (!(error instanceof PngDecodeError)) throw error;
    throw new DomainError({
      code: 'IMAGE_INVALID',
      message: `The signature image is damaged: ${error.message}`,
      cause: error,
    });
  }
  return { bytes, width, height };
}

const placementInvalid = (message: string, details: Record<string, unknown>) =>
  new DomainError({ code: 'PLACEMENT_INVALID', message, details });

const isFraction = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 1;

/** Checks every placement against the envelope's documents; at least one per document. */
export function parsePlacements(input: unknown, documents: DocumentRecord[]): SignaturePlacement[] {
  if (!Array.isArray(input) || input.length === 0)
    throw placementInvalid('Place your signature on each document.', { reason: 'missing' });
  if (input.length > PLACEMENT_LIMITS.maxCount) {
    throw placementInvalid(`At most ${PLACEMENT_LIMITS.maxCount} signature placements.`, {
      reason: 'too_many',
      max: PLACEMENT_LIMITS.maxCount,
    });
  }
  const placements = input.map((raw: unknown, index) => parsePlacement(raw, index, documents));
  const missing = documents.filter((document) => !placements.some((placement) => placement.documentId === document.id));
  if (missing.length > 0) {
    throw placementInvalid('Place your signature at least once on each document.', {
      reason: 'document_without_signature',
      documentIds: missing.map((document) => document.id),
    });
  }
  return placements;
}

function parsePlacement(raw: unknown, index: number, documents: DocumentRecord[]): SignaturePlacement {
  const fail = (reason: string, message: string) => placementInvalid(message, { index, reason });
  if (typeof raw !== 'object' || raw === null) throw fail('malformed', 'A placement must be an object.');
  const { documentId, page, x, y, width, height } = raw as Record<string, unknown>;
  const document = documents.find((candidate) => candidate.id === documentId);
  if (typeof documentId !== 'string' || !document)
    throw fail('unknown_document', 'A placement names a document that is not in this request.');
  if (typeof page !== 'number' || !Number.isInteger(page) || page < 1 || page > document.pageCount) {
    throw fail(
      'page_out_of_range',
      `A placement is on a page that does not exist (the document has ${document.pageCount}).`,
    );
  }
  if (!isFraction(x) || !isFraction(y) || !isFraction(width) || !isFraction(height)) {
    throw fail('out_of_page', 'A placement must be given as fractions of the page between 0 and 1.');
  }
  if (x + width > 1 + EPSILON || y + height > 1 + EPSILON)
    throw fail('out_of_page', 'A signature must lie inside the page.');
  if (width < PLACEMENT_LIMITS.minWidth || height < PLACEMENT_LIMITS.minHeight)
    throw fail('too_small', 'A signature box is too small.');
  return { documentId, page, x, y, width, height };
}
