// Certify: fills /ByteRange and /Contents of the placeholder written by prepareDocument, in place
// (no new revision), with @signpdf/signpdf driving our CMS signer.
import { SignPdf } from '@signpdf/signpdf';
import { Signer } from '@signpdf/utils';
import { createHash } from 'node:crypto';
import { DomainError, isDomainError } from '../errors.ts';
import type { DigestSigner } from '../ports.ts';
import { buildCms } from './build-cms.ts';
import { asBuffer } from './pdf-syntax.ts';

export type CertifyDocumentOptions = { prepared: Uint8Array; signer: DigestSigner };

/** The @signpdf Signer: hashes the ByteRange bytes with node:crypto and lets the port sign. */
export class DigestCmsSigner extends Signer {
  constructor(private readonly digestSigner: DigestSigner) {
    super();
  }

  override async sign(pdfBuffer: Buffer): Promise<Buffer> {
    const contentDigest = new Uint8Array(createHash('sha256').update(pdfBuffer).digest());
    const cms = await buildCms({ contentDigest, signer: this.digestSigner });
    return Buffer.from(cms.buffer, cms.byteOffset, cms.byteLength);
  }
}

export async function certifyDocument(options: CertifyDocumentOptions): Promise<Uint8Array> {
  try {
    const signed = await new SignPdf().sign(asBuffer(options.prepared), new DigestCmsSigner(options.signer));
    return new Uint8Array(signed.buffer, signed.byteOffset, signed.byteLength);
  } catch (error) {
    if (isDomainError(error)) throw error;
    throw new DomainError({ code: 'FINALIZE_FAILED', message: 'The document could not be certified.', cause: error });
  }
}
