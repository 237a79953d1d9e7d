// Builds the whole deployment into a CDK App: the data stack, the application stack, and the
// cdk-nag AwsSolutions checks (unacknowledged findings fail `cdk synth`).
import { Annotations, type App, type Environment, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readDeploySettings, type DeploySettings } from './deploy-settings.ts';
import { StatefulStack } from './stateful-stack.ts';
import type { HandlerName } from './handler-entries.ts';
import { StatelessStack } from './stateless-stack.ts';

export type BuildMailsignAppOptions = {
  app: App;
  env?: Environment;
  /** Tests point handlers at a stub entry. */
  handlerEntry?: (name: HandlerName) => string;
  /** Off only for tests that look at something else; `cdk synth` always checks. */
  nagChecks?: boolean;
};

export type MailsignStacks = { settings: DeploySettings; data: StatefulStack; service: StatelessStack };

export function buildMailsignApp(options: BuildMailsignAppOptions): MailsignStacks {
  const { app } = options;
  const settings = readDeploySettings(app.node);
  const data = new StatefulStack(app, `${settings.stackPrefix}-Data`, {
    env: options.env,
    settings,
    description: 'mailsign data: table, buckets, keys (RETAIN)',
    terminationProtection: !settings.usesExampleDomain,
  });
  const service = new StatelessStack(app, `${settings.stackPrefix}-Service`, {
    env: options.env,
    settings,
    data,
    handlerEntry: options.handlerEntry,
    description: 'mailsign service: functions, API, state machine, SES receiving, web',
  });
  service.addStackDependency(data);
  Tags.of(app).add('app', 'mailsign');
  if (settings.usesExampleDomain) {
    Annotations.of(service).addWarningV2(
      'mailsign:example-domain',
      'No -c inboundDomain given: using sign.example.com. Fine for synth; set it before deploying (docs/deploy.md).',
    );
  }
  if (options.nagChecks !== false) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { settings, data, service };
}
