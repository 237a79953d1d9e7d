// One Lambda function of the service: bundled by the local esbuild at synth time as minified ESM
// with code splitting and source maps (function-bundle.ts, the bench measures the same build),
// Node.js 22 on arm64, its own log group with a retention. NodejsFunction cannot split (it always
// passes --outfile), so the asset is bundled here with CDK's local bundling hook.
import { dirname, relative } from 'node:path';
import { AssetHashType, DockerImage, Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { bundleFunction, ESM_REQUIRE_BANNER } from './function-bundle.ts';

export { ESM_REQUIRE_BANNER };

export type MailsignFunctionProps = {
  /** Path of the TypeScript entry exporting `handler`. */
  entry: string;
  description: string;
  environment: Record<string, string>;
  memorySize?: number;
  timeout?: Duration;
  reservedConcurrentExecutions?: number;
  /** For asynchronous invocations (SES, EventBridge): where events land after the retries. */
  deadLetterQueue?: sqs.IQueue;
  logRetentionDays: number;
  /** package-lock.json of the project (its folder is esbuild's working root). */
  depsLockFilePath: string;
  /** Files (paths from the project root) copied into the bundle's fonts/ folder, read at run time. */
  bundledFonts?: string[];
};

export class MailsignFunction extends Construct {
  readonly fn: lambda.Function;

  constructor(scope: Construct, id: string, props: MailsignFunctionProps) {
    super(scope, id);
    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: toRetention(props.logRetentionDays),
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const projectRoot = dirname(props.depsLockFilePath);
    const fonts = props.bundledFonts ?? [];
    this.fn = new lambda.Function(this, 'Function', {
      code: lambda.Code.fromAsset(projectRoot, {
        assetHashType: AssetHashType.OUTPUT,
        bundling: {
          // Never run: local bundling always succeeds or throws. The command names the entry and
          // the fonts so that CDK's asset cache tells the functions apart.
          image: DockerImage.fromRegistry('mailsign-local-esbuild'),
          command: ['esbuild', relative(projectRoot, props.entry), ...fonts],
          local: {
            tryBundle: (outdir) => {
              bundleFunction({ entry: props.entry, outdir, projectRoot, sourcemap: true, fonts });
              return true;
            },
          },
        },
      }),
      handler: 'index.handler',
      description: props.description,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(30),
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      deadLetterQueue: props.deadLetterQueue,
      retryAttempts: props.deadLetterQueue ? 2 : undefined,
      logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      tracing: lambda.Tracing.ACTIVE,
      // The AWS SDK is bundled, not taken from the runtime: see ARCHITECTURE.md (Lambda bundles).
      environment: { ...props.environment, NODE_OPTIONS: '--enable-source-maps' },
    });
    Validations.of(this.fn).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'nodejs22.x is the runtime the project targets and tests (design); ' +
        'moving to a newer one is a deliberate upgrade.',
    });
  }
}

export function toRetention(days: number): logs.RetentionDays {
  const known = Object.values(logs.RetentionDays).filter(
    (value): value is logs.RetentionDays => typeof value === 'number' && value > 0,
  );
  const match = known.sort((a, b) => a - b).find((value) => value >= days);
  return match ?? logs.RetentionDays.TEN_YEARS;
}
