// Lambda entry point of the state machine's "Certify" state (lib/workflows/finalize.asl.json).
import { certifyEnvelopeDocument } from '../core/finalize/certify-envelope-document.ts';
import type { AssembledDocument, CertifiedDocumentRef } from '../core/finalize/finalize-types.ts';
import { createFinalizeCertifyDeps } from '../runtime/aws/finalize-certify-root.ts';
import { awsStepHandler, type FinalizeStep } from './finalize-step.ts';

export const step: FinalizeStep<AssembledDocument, CertifiedDocumentRef> = (deps, input) =>
  certifyEnvelopeDocument({ deps, ...input });

export const handler = awsStepHandler('Certify', step, createFinalizeCertifyDeps);
