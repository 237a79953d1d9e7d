// The PDF engine of finalization: Assemble (prepareDocument) and Certify (certifyDocument).
export { prepareDocument, prepareDocumentParts } from './prepare-document.ts';
export type { PrepareDocumentOptions, PreparedParts } from './prepare-document.ts';
export {
  certifyDocument,
  certifyDocumentWithDigest,
  certifyPreparedParts,
  DigestCmsSigner,
  fillSignature,
  findSealedContents,
  sealByteRange,
} from './certify-document.ts';
export type {
  CertifiedDocument,
  CertifiedParts,
  CertifyDocumentOptions,
  CertifyPreparedPartsOptions,
  FillSignatureOptions,
  SealByteRangeOptions,
  SealedByteRange,
} from './certify-document.ts';
export type { StampPlacement, SignerStamp } from './draw-stamps.ts';
export type { AuditSigner, AuditTrail } from './draw-audit-trail.ts';
export { maskPhone } from './draw-audit-trail.ts';
export { warmStampFonts } from './stamp-fonts.ts';
