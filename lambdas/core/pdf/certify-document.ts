// Certify: fills /ByteRange and /Contents of the placeholder written by prepareDocument, in place
// (no new revision), in two phases that may run in different processes:
// - sealByteRange: @signpdf fills /ByteRange and hands over the bytes it covers, whose SHA-256
//   (the CMS messageDigest) is taken; /Contents stays zeros. Finalization's Assemble step does
//   this while it holds the original, so Certify never reads the document.
// - fillSignature: the CMS over that digest (DigestSigner port, TSA, CRLs) written into /Contents.
//
// @signpdf's SignPdf.sign() makes four full-size copies of the PDF it is given (Buffer.from of
// the input, one Buffer.concat to write /ByteRange, one to cut /Contents out for the signer and
// one to put the signature back): for an 80 MB file that is 320 MB of copying and ~240 MB of
// extra peak memory. So it is given only a window: the tail of the file from the placeholder's
// "/ByteRange" to the end (the signature dictionary and the cross-reference section, a few tens
// of KB). The bytes before the window are hashed once, in place, and that hash is completed with
// what @signpdf hands its signer. @signpdf writes /ByteRange offsets relative to the window; the
// digest covers, and the final file carries, the same numbers shifted by the window's start
// (fixed-width, space-padded text, so nothing moves). The result is written back into the
// prepared bytes: no full-size copy at all, and the same prefix hash gives the file's SHA-256.
// certifyPreparedParts does the same over [original, update] (prepareDocumentParts): the original
// is only hashed, the placeholder (always in the update) filled in the update.
import { SignPdf } from '@signpdf/signpdf';
import { Signer } from '@signpdf/utils';
import { createHash } from 'node:crypto';
import type { Hash } from 'node:crypto';
import { DomainError, isDomainError } from '../errors.ts';
import type { DigestSigner } from '../ports.ts';
import { buildCms, type BuildCmsOptions } from './build-cms.ts';
import { isTrustServiceUnavailable } from './trust-service-error.ts';
import { asBuffer, BYTE_RANGE_PLACEHOLDER } from './pdf-syntax.ts';
import type { PreparedParts } from './prepare-document.ts';

export type CertifyDocumentOptions = { prepared: Uint8Array; signer: DigestSigner } & TrustServiceOptions;

/** The outside services of a B-T seal with revocation data (see build-cms.ts). */
export type TrustServiceOptions = Pick<BuildCmsOptions, 'timestampAuthority' | 'revocationSource' | 'onPhase'>;

/** The @signpdf Signer: hashes the ByteRange bytes with node:crypto and lets the port sign. */
export class DigestCmsSigner extends Signer {
  constructor(
    private readonly digestSigner: DigestSigner,
    private readonly trust: TrustServiceOptions = {},
  ) {
    super();
  }

  /** SHA-256 of the bytes covered by /ByteRange, as @signpdf hands them to the signer. */
  protected contentDigest(pdfBuffer: Buffer): Uint8Array {
    return new Uint8Array(createHash('sha256').update(pdfBuffer).digest());
  }

  override async sign(pdfBuffer: Buffer): Promise<Buffer> {
    const cms = await buildCms({
      ...this.trust,
      contentDigest: this.contentDigest(pdfBuffer),
      signer: this.digestSigner,
    });
    return Buffer.from(cms.buffer, cms.byteOffset, cms.byteLength);
  }
}

/** Shifts the window-relative "/ByteRange [0 a b c]" text by `start` (a and b), keeping its width. */
export function shiftByteRangeText(text: string, start: number): string {
  const match = /^\/ByteRange \[0 (\d+) (\d+) (\d+)\]/.exec(text);
  if (!match) throw new Error('The signature window does not start with the filled /ByteRange.');
  const shifted = `/ByteRange [0 ${Number(match[1]) + start} ${Number(match[2]) + start} ${match[3]}]`;
  if (shifted.length > text.length) throw new Error('The /ByteRange does not fit its placeholder.');
  return shifted.padEnd(text.length, ' ');
}

export type CertifiedDocument = {
  certified: Uint8Array;
  /** SHA-256 (hex) of the whole certified file, computed on the way (no second pass over the file). */
  sha256: string;
};

/** The parts of a certified file, in order, and its SHA-256 (hex), computed on the way. */
export type CertifiedParts = { parts: Uint8Array[]; sha256: string; size: number };

export type SealByteRangeOptions = {
  /** Parts before the one holding the placeholder (hashed in order, left untouched). */
  head: Uint8Array[];
  /** The SHA-256 state of the head parts when they were already hashed (while read): taken over. */
  headHash?: Hash;
  /** The part holding the placeholder: its /ByteRange is filled in place. */
  tail: Uint8Array;
};

/**
 * A prepared document whose /ByteRange is final: the signature will cover exactly the bytes
 * hashed into `contentDigest`, whatever fills /Contents later (fillSignature, from the digest
 * alone: the signing step never needs the document).
 */
export type SealedByteRange = {
  /** The tail, /ByteRange filled, /Contents still zeros (the tail's bytes, shortened, not a copy). */
  tail: Buffer;
  /** SHA-256 of the bytes /ByteRange covers: what the CMS signs (messageDigest). */
  contentDigest: Uint8Array;
  /** Hash state of every byte before the /ByteRange (head and tail): completes the file's SHA-256. */
  prefixHash: Hash;
  /** Where the /ByteRange starts in the tail. */
  byteRangeAt: number;
};

/** The SHA-256 of the window's bytes after the prefix, the window's /ByteRange text made absolute. */
function windowDigest(prefixHash: Hash, start: number, windowBytes: Buffer): Uint8Array {
  // The window begins with the /ByteRange @signpdf just filled: the signed text is the shifted one.
  const width = BYTE_RANGE_PLACEHOLDER.length;
  const absolute = shiftByteRangeText(windowBytes.toString('latin1', 0, width), start);
  const hash = prefixHash.copy();
  hash.update(Buffer.from(absolute, 'latin1'));
  hash.update(windowBytes.subarray(width));
  return new Uint8Array(hash.digest());
}

/** The @signpdf Signer of the first phase: keeps the digest of what will be signed, signs nothing. */
class ContentDigestCapture extends Signer {
  contentDigest: Uint8Array | undefined;

  constructor(
    private readonly prefixHash: Hash,
    private readonly start: number,
  ) {
    super();
  }

  override async sign(windowBytes: Buffer): Promise<Buffer> {
    this.contentDigest = windowDigest(this.prefixHash, this.start, windowBytes);
    // Nothing yet: @signpdf writes /Contents as zeros (the placeholder's own bytes).
    return Buffer.alloc(0);
  }
}

/**
 * First phase of certifying: @signpdf fills /ByteRange in the tail (in place, given only the tail
 * from the placeholder on, see the module comment) and the digest of the covered bytes is taken.
 * Everything before the placeholder (the head parts, then the tail's start) is hashed once.
 */
export async function sealByteRange(options: SealByteRangeOptions): Promise<SealedByteRange> {
  try {
    const tail = asBuffer(options.tail);
    // The placeholder is in the signature dictionary, the last object of the update prepareDocument wrote.
    const at = tail.lastIndexOf(BYTE_RANGE_PLACEHOLDER, tail.length, 'latin1');
    if (at < 0) throw new Error('No /ByteRange placeholder in the prepared document.');
    const prefixHash = options.headHash ?? createHash('sha256');
    let start = at;
    for (const part of options.head) {
      if (!options.headHash) prefixHash.update(part);
      start += part.length;
    }
    prefixHash.update(tail.subarray(0, at));
    const capture = new ContentDigestCapture(prefixHash, start);
    const window = await new SignPdf().sign(tail.subarray(at), capture);
    if (!capture.contentDigest) throw new Error('@signpdf did not hand over the bytes to sign.');
    // @signpdf drops one trailing newline (and carriage return); the ByteRange ends where its output ends.
    const width = BYTE_RANGE_PLACEHOLDER.length;
    window.write(shiftByteRangeText(window.toString('latin1', 0, width), start), 0, width, 'latin1');
    window.copy(tail, at);
    return {
      tail: tail.subarray(0, at + window.length),
      contentDigest: capture.contentDigest,
      prefixHash,
      byteRangeAt: at,
    };
  } catch (error) {
    throw new DomainError({ code: 'FINALIZE_FAILED', message: 'The document could not be certified.', cause: error });
  }
}

export type FillSignatureOptions = {
  /** The tail sealByteRange returned (it ends the file): /Contents is filled in place. */
  tail: Uint8Array;
  /** Bytes of the file before the tail (the original's size when the tail is Assemble's update). */
  offset: number;
  contentDigest: Uint8Array;
  signer: DigestSigner;
} & TrustServiceOptions;

/**
 * Where the /Contents hex digits lie in a sealed tail (between "<" and ">"), or undefined when its
 * /ByteRange does not frame them in a file of `offset` bytes followed by this tail.
 */
export function findSealedContents(tail: Uint8Array, offset: number): { from: number; to: number } | undefined {
  const bytes = asBuffer(tail);
  const at = bytes.lastIndexOf('/ByteRange [0 ', bytes.length, 'latin1');
  const match = at < 0 ? null : /^\/ByteRange \[0 (\d+) (\d+) (\d+)\]/.exec(bytes.toString('latin1', at, at + 80));
  if (!match) return undefined;
  const [a, b, c] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const from = a - offset;
  const to = b - offset;
  const frames = b + c === offset + bytes.length && from > at && to <= bytes.length;
  if (!frames || bytes[from] !== 0x3c || bytes[to - 1] !== 0x3e) return undefined;
  return { from: from + 1, to: to - 1 };
}

/**
 * Second phase: the CMS over `contentDigest` (the DigestSigner port, the TSA, the CRLs), written
 * into /Contents as @signpdf writes it (lowercase hex, zero padded). The tail is changed in place.
 */
export async function fillSignature(options: FillSignatureOptions): Promise<Uint8Array> {
  try {
    const tail = asBuffer(options.tail);
    const contents = findSealedContents(tail, options.offset);
    if (!contents) throw new Error('The sealed /ByteRange does not frame a /Contents string of this document.');
    const { from, to } = contents;
    const cms = await buildCms({
      timestampAuthority: options.timestampAuthority,
      revocationSource: options.revocationSource,
      onPhase: options.onPhase,
      contentDigest: options.contentDigest,
      signer: options.signer,
    });
    if (cms.length * 2 > to - from)
      throw new Error(`The signature (${cms.length} bytes) exceeds its placeholder (${(to - from) / 2} bytes).`);
    const written = tail.write(Buffer.from(cms.buffer, cms.byteOffset, cms.byteLength).toString('hex'), from, 'latin1');
    tail.fill(0x30, from + written, to);
    return options.tail;
  } catch (error) {
    if (isDomainError(error)) throw error;
    // A trust-service outage, wherever it is in the causes, is retryable.
    const unavailable = findTrustServiceOutage(error);
    if (unavailable) throw unavailable;
    throw new DomainError({ code: 'FINALIZE_FAILED', message: 'The document could not be certified.', cause: error });
  }
}

/** Both phases at once, in one process: the file's SHA-256 completes the prefix hash (one pass). */
async function signInPlace(
  options: SealByteRangeOptions & { signer: DigestSigner } & TrustServiceOptions,
): Promise<{ tail: Buffer; sha256: string }> {
  const sealed = await sealByteRange(options);
  const offset = options.head.reduce((sum, part) => sum + part.length, 0);
  await fillSignature({ ...options, tail: sealed.tail, offset, contentDigest: sealed.contentDigest });
  const sha256 = sealed.prefixHash.update(sealed.tail.subarray(sealed.byteRangeAt)).digest('hex');
  return { tail: sealed.tail, sha256 };
}

/**
 * Fills the placeholder in place: the bytes of `prepared` are reused for the result (no full-size
 * copy), so the caller must not use `prepared` afterwards. The bytes before the placeholder are
 * hashed once; that hash state serves both the ByteRange digest and the digest of the result.
 */
export async function certifyDocumentWithDigest(options: CertifyDocumentOptions): Promise<CertifiedDocument> {
  const { tail, sha256 } = await signInPlace({ ...options, head: [], tail: options.prepared });
  return { certified: new Uint8Array(tail.buffer, tail.byteOffset, tail.byteLength), sha256 };
}

export type CertifyPreparedPartsOptions = PreparedParts & { signer: DigestSigner } & TrustServiceOptions;

/**
 * Certifies a document prepared as parts (prepareDocumentParts): the original is hashed once and
 * never copied; the update is filled in place (the caller must not use it afterwards). The
 * certified file is the returned parts written in order.
 */
export async function certifyPreparedParts(options: CertifyPreparedPartsOptions): Promise<CertifiedParts> {
  const { tail, sha256 } = await signInPlace({ ...options, head: [options.original], tail: options.update });
  const update = new Uint8Array(tail.buffer, tail.byteOffset, tail.byteLength);
  return { parts: [options.original, update], sha256, size: options.original.length + update.length };
}

/** certifyDocumentWithDigest without the digest (same in-place filling of `prepared`). */
export async function certifyDocument(options: CertifyDocumentOptions): Promise<Uint8Array> {
  return (await certifyDocumentWithDigest(options)).certified;
}

function findTrustServiceOutage(error: unknown): Error | undefined {
  for (let current = error, depth = 0; current && depth < 5; depth += 1) {
    if (isTrustServiceUnavailable(current)) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
