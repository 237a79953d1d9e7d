// Shapes of the signing API (design.md §4), from the one module the API itself uses
// (lambdas/core/api/api-types.ts): types only, nothing of the server reaches the bundle.
export type {
  EnvelopeStatus,
  OtpSent,
  Placement,
  Problem,
  SignerStatus,
  SigningDocumentInfo as DocumentInfo,
  SigningView,
} from '../../lambdas/core/api/api-types.ts';
