// Lambda entry point of the state machine's "Certify" state (lib/workflows/finalize.asl.json).
// Its initialisation starts the download of the seal chain's CRLs without awaiting it: the
// request runs while the function finishes starting and its first invocation reads the documents,
// and that invocation waits on the same request for whatever is left (the revocation source shares
// requests under way), instead of fetching after the reads. It also opens the connection to the
// time-stamp authority, so that the first signature does not wait for its TCP and TLS set-up.
import type { AppConfig } from '../config.ts';
import { loadConfig } from '../config.ts';
import type { Deps } from '../core/deps.ts';
import { certifyEnvelopeDocument } from '../core/finalize/certify-envelope-document.ts';
import { prefetchChainCrls } from '../core/pdf/revocation-info.ts';
import { createFinalizeCertifyDeps } from '../runtime/aws/finalize-certify-root.ts';
import { awsStepHandler, stepOf } from './finalize-step.ts';

export type StartCertifyInitOptions = {
  loadConfig: () => AppConfig;
  createDeps: (config: AppConfig) => Deps;
};

/**
 * The deps of the Certify function, built at initialisation when the function is deployed with a
 * seal key (only on AWS: the tests import this module for this function and build no AWS adapter
 * here), with the seal chain's CRLs requested then. A configuration that does not load
 * is left for the first invocation to report, as before.
 */
export function startCertifyInit(options: StartCertifyInitOptions): Deps | undefined {
  let config: AppConfig;
  try {
    config = options.loadConfig();
  } catch {
    return undefined;
  }
  if (!config.sealKeyId) return undefined;
  const deps = options.createDeps(config);
  if (deps.revocationSource) void prefetchChainCrls({ signer: deps.digestSigner, source: deps.revocationSource });
  void deps.timestampAuthority?.connect?.();
  return deps;
}

const initDeps = startCertifyInit({ loadConfig, createDeps: createFinalizeCertifyDeps });

export const handler = awsStepHandler(
  'Certify',
  stepOf(certifyEnvelopeDocument),
  (config) => initDeps ?? createFinalizeCertifyDeps(config),
);
