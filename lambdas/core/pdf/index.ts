// The PDF engine of finalization: Assemble (prepareDocument) and Certify (certifyDocument).
export { prepareDocument } from './prepare-document.ts';
export type { PrepareDocumentOptions } from './prepare-document.ts';
export { certifyDocument, certifyDocumentWithDigest, DigestCmsSigner } from './certify-document.ts';
export type { CertifiedDocument, CertifyDocumentOptions } from './certify-document.ts';
export type { StampPlacement, SignerStamp } from './draw-stamps.ts';
export type { AuditSigner, AuditTrail } from './draw-audit-trail.ts';
export { maskPhone } from './draw-audit-trail.ts';
export { warmStampFonts } from './stamp-fonts.ts';
