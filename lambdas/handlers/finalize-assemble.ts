// Lambda entry point of the state machine's "Assemble" state (lib/workflows/finalize.asl.json).
import { assembleEnvelopeDocument } from '../core/finalize/assemble-envelope-document.ts';
import type { DocumentStepInput, AssembledDocument } from '../core/finalize/finalize-types.ts';
import { createFinalizeAssembleDeps } from '../runtime/aws/finalize-assemble-root.ts';
import { awsStepHandler, type FinalizeStep } from './finalize-step.ts';

export const step: FinalizeStep<DocumentStepInput, AssembledDocument> = (deps, input) =>
  assembleEnvelopeDocument({ deps, ...input });

export const handler = awsStepHandler(step, createFinalizeAssembleDeps);
