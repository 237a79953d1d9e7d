// Certify: fills /ByteRange and /Contents of the placeholder written by prepareDocument, in place
// (no new revision), with @signpdf/signpdf driving our CMS signer.
//
// @signpdf's SignPdf.sign() makes four full-size copies of the PDF it is given (Buffer.from of
// the input, one Buffer.concat to write /ByteRange, one to cut /Contents out for the signer and
// one to put the signature back): for an 80 MB file that is 320 MB of copying and ~240 MB of
// extra peak memory. So it is given only a window: the tail of the file from the placeholder's
// "/ByteRange" to the end (the signature dictionary and the cross-reference section, a few tens
// of KB). The bytes before the window are hashed once, in place, and the signer completes that
// hash with what @signpdf hands it. @signpdf writes /ByteRange offsets relative to the window;
// the signer hashes, and the final file carries, the same numbers shifted by the window's start
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

/** Completes the hash of the bytes before the window with the window bytes @signpdf gives it. */
class WindowDigestCmsSigner extends DigestCmsSigner {
  constructor(
    digestSigner: DigestSigner,
    trust: TrustServiceOptions,
    private readonly prefixHash: Hash,
    private readonly start: number,
  ) {
    super(digestSigner, trust);
  }

  protected override contentDigest(windowBytes: Buffer): Uint8Array {
    // The window begins with the /ByteRange @signpdf just filled: the signed text is the shifted one.
    const width = BYTE_RANGE_PLACEHOLDER.length;
    const absolute = shiftByteRangeText(windowBytes.toString('latin1', 0, width), this.start);
    const hash = this.prefixHash.copy();
    hash.update(Buffer.from(absolute, 'latin1'));
    hash.update(windowBytes.subarray(width));
    return new Uint8Array(hash.digest());
  }
}

export type CertifiedDocument = {
  certified: Uint8Array;
  /** SHA-256 (hex) of the whole certified file, computed on the way (no second pass over the file). */
  sha256: string;
};

/** The parts of a certified file, in order, and its SHA-256 (hex), computed on the way. */
export type CertifiedParts = { parts: Uint8Array[]; sha256: string; size: number };

type SignInPlaceOptions = {
  /** Parts before the one holding the placeholder (hashed in order, left untouched). */
  head: Uint8Array[];
  /** The part holding the placeholder: filled in place. */
  tail: Uint8Array;
  signer: DigestSigner;
} & TrustServiceOptions;

/**
 * Fills the placeholder of `tail` in place. Everything before the placeholder (the head parts,
 * then the tail's start) is hashed once; that hash state serves both the ByteRange digest and
 * the digest of the result. Returns the tail's bytes up to the end of the result.
 */
async function signInPlace(options: SignInPlaceOptions): Promise<{ tail: Buffer; sha256: string }> {
  try {
    const tail = asBuffer(options.tail);
    // The placeholder is in the signature dictionary, the last object of the update prepareDocument wrote.
    const at = tail.lastIndexOf(BYTE_RANGE_PLACEHOLDER, tail.length, 'latin1');
    if (at < 0) throw new Error('No /ByteRange placeholder in the prepared document.');
    const prefixHash = createHash('sha256');
    let start = at;
    for (const part of options.head) {
      prefixHash.update(part);
      start += part.length;
    }
    prefixHash.update(tail.subarray(0, at));
    const window = tail.subarray(at);
    const signedWindow = await new SignPdf().sign(
      window,
      new WindowDigestCmsSigner(
        options.signer,
        {
          timestampAuthority: options.timestampAuthority,
          revocationSource: options.revocationSource,
          onPhase: options.onPhase,
        },
        prefixHash,
        start,
      ),
    );

    // @signpdf drops one trailing newline (and carriage return); the ByteRange ends where its output ends.
    const width = BYTE_RANGE_PLACEHOLDER.length;
    signedWindow.write(shiftByteRangeText(signedWindow.toString('latin1', 0, width), start), 0, width, 'latin1');
    signedWindow.copy(tail, at);
    const sha256 = prefixHash.update(signedWindow).digest('hex');
    return { tail: tail.subarray(0, at + signedWindow.length), sha256 };
  } catch (error) {
    if (isDomainError(error)) throw error;
    // @signpdf wraps what the signer throws: find a trust-service outage in the causes (retryable).
    const unavailable = findTrustServiceOutage(error);
    if (unavailable) throw unavailable;
    throw new DomainError({ code: 'FINALIZE_FAILED', message: 'The document could not be certified.', cause: error });
  }
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
