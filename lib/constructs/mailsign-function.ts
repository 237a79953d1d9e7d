// One Lambda function of the service: NodejsFunction bundled by the local esbuild as a minified
// ESM bundle with source maps, Node.js 22 on arm64, its own log group with a retention.
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/**
 * pdf-lib and pkijs (through its dependencies) call `require` on node built-ins, which an
 * esbuild ESM bundle rejects at run time; defining `require` from createRequire fixes it.
 */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __mailsignCreateRequire } from 'node:module'; " +
  'const require = __mailsignCreateRequire(import.meta.url);';

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
  /** package-lock.json of the project (esbuild's working root). */
  depsLockFilePath: string;
  /** Files (paths from the project root) copied into the bundle's fonts/ folder, read at run time. */
  bundledFonts?: string[];
};

export class MailsignFunction extends Construct {
  readonly fn: nodejs.NodejsFunction;

  constructor(scope: Construct, id: string, props: MailsignFunctionProps) {
    super(scope, id);
    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: toRetention(props.logRetentionDays),
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.fn = new nodejs.NodejsFunction(this, 'Function', {
      entry: props.entry,
      handler: 'handler',
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
      depsLockFilePath: props.depsLockFilePath,
      environment: { ...props.environment, NODE_OPTIONS: '--enable-source-maps' },
      bundling: {
        format: nodejs.OutputFormat.ESM,
        target: 'node22',
        platform: 'node',
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        mainFields: ['module', 'main'],
        banner: ESM_REQUIRE_BANNER,
        // The Node.js 22 runtime ships AWS SDK v3; bundling our own pinned copy keeps the
        // behaviour the tests saw, at a small size cost.
        externalModules: [],
        commandHooks: props.bundledFonts?.length
          ? {
              beforeBundling: () => [],
              beforeInstall: () => [],
              afterBundling: (inputDir: string, outputDir: string) => [
                `mkdir -p "${outputDir}/fonts"`,
                ...(props.bundledFonts ?? []).map((file) => `cp "${inputDir}/${file}" "${outputDir}/fonts/"`),
              ],
            }
          : undefined,
      },
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
