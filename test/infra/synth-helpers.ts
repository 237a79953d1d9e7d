// One place that builds the app the way `cdk synth` does, minus bundling and CloudFormation
// validation (both slow), with handler entries pointed at a stub so tests do not depend on
// which handlers exist yet.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildMailsignApp, type MailsignStacks } from '../../lib/mailsign-app.ts';

export const STUB_HANDLER = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'stub-handler.ts');

/** The feature flags and defaults of cdk.json, so tests synthesize what `cdk synth` does. */
export const CDK_JSON_CONTEXT = (
  JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'cdk.json'), 'utf8')) as {
    context: Record<string, unknown>;
  }
).context;

export const TEST_CONTEXT = {
  inboundDomain: 'sign.example.org',
  inboundAddress: 'sign@sign.example.org',
  serviceAddress: 'noreply@example.org',
  customerDomains: 'example.org,example.net',
  operatorEmail: 'ops@example.org',
  sellerName: 'Example SAS',
  sellerAddress: '1 rue de l’Exemple|75001 Paris|France',
  sellerSiren: '123456789',
  sellerVatNumber: 'FR12123456789',
};

export type SynthResult = MailsignStacks & {
  app: App;
  dataTemplate: Template;
  serviceTemplate: Template;
  outdir: string;
};

export function synthMailsign(options: { context?: Record<string, unknown>; nagChecks?: boolean } = {}): SynthResult {
  const app = new App({
    context: { ...CDK_JSON_CONTEXT, 'aws:cdk:bundling-stacks': [], ...TEST_CONTEXT, ...options.context },
    builtinCloudFormationValidation: false,
  });
  const stacks = buildMailsignApp({ app, handlerEntry: () => STUB_HANDLER, nagChecks: options.nagChecks });
  const assembly = app.synth();
  return {
    ...stacks,
    app,
    outdir: assembly.directory,
    dataTemplate: Template.fromStack(stacks.data),
    serviceTemplate: Template.fromStack(stacks.service),
  };
}
