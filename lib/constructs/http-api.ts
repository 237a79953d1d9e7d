// The HTTP API (API Gateway v2): signing and account routes, throttled, CORS limited to the web
// origin, access logs that never contain tokens (they travel in the Authorization header, which
// is not logged, and we log the route key rather than the raw path).
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

export type MailsignHttpApiProps = {
  apiName: string;
  allowedOrigins: string[];
  rateLimit: number;
  burstLimit: number;
  signingApi: lambda.IFunction;
  accountApi: lambda.IFunction;
  /** POST /api/payments/webhook: no auth (the provider's signature is checked in the function), its own throttle. */
  paymentsWebhook?: lambda.IFunction;
  paymentsWebhookThrottle?: { rateLimit: number; burstLimit: number };
  /** Public verification (verify.html): GET only, no token. */
  verifyApi?: lambda.IFunction;
  logRetention: logs.RetentionDays;
};

/** Fields of one access-log line: no path, query string, headers or body. */
export const ACCESS_LOG_FIELDS: Record<string, string> = {
  requestId: '$context.requestId',
  time: '$context.requestTime',
  ip: '$context.identity.sourceIp',
  routeKey: '$context.routeKey',
  status: '$context.status',
  latencyMs: '$context.responseLatency',
  integrationStatus: '$context.integrationStatus',
  integrationError: '$context.integrationErrorMessage',
  responseLength: '$context.responseLength',
  userAgent: '$context.identity.userAgent',
};

export class MailsignHttpApi extends Construct {
  readonly api: apigwv2.HttpApi;
  readonly stage: apigwv2.HttpStage;

  constructor(scope: Construct, id: string, props: MailsignHttpApiProps) {
    super(scope, id);
    this.api = new apigwv2.HttpApi(this, 'Api', {
      apiName: props.apiName,
      description: 'mailsign signing and customer API',
      createDefaultStage: false,
      corsPreflight: {
        allowOrigins: props.allowedOrigins,
        allowMethods: [apigwv2.CorsHttpMethod.GET, apigwv2.CorsHttpMethod.POST, apigwv2.CorsHttpMethod.OPTIONS],
        allowHeaders: ['authorization', 'content-type', 'accept-language'],
        maxAge: Duration.hours(1),
      },
    });
    const accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stage = new apigwv2.HttpStage(this, 'Stage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: props.rateLimit, burstLimit: props.burstLimit },
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(accessLogs),
        format: apigw.AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
    });

    const signing = new HttpLambdaIntegration('Signing', props.signingApi);
    const account = new HttpLambdaIntegration('Account', props.accountApi);
    for (const path of ['/api/signing', '/api/signing/{proxy+}']) {
      this.api.addRoutes({ path, methods: [apigwv2.HttpMethod.ANY], integration: signing });
    }
    for (const path of ['/api/account', '/api/account/{proxy+}']) {
      this.api.addRoutes({ path, methods: [apigwv2.HttpMethod.ANY], integration: account });
    }
    if (props.paymentsWebhook) {
      this.api.addRoutes({
        path: '/api/payments/webhook',
        methods: [apigwv2.HttpMethod.POST],
        integration: new HttpLambdaIntegration('PaymentsWebhook', props.paymentsWebhook),
      });
      const throttle = props.paymentsWebhookThrottle ?? { rateLimit: 10, burstLimit: 20 };
      (this.stage.node.defaultChild as apigwv2.CfnStage).addPropertyOverride('RouteSettings', {
        'POST /api/payments/webhook': {
          ThrottlingRateLimit: throttle.rateLimit,
          ThrottlingBurstLimit: throttle.burstLimit,
        },
      });
    }
    if (props.verifyApi) {
      const verify = new HttpLambdaIntegration('Verify', props.verifyApi);
      this.api.addRoutes({ path: '/api/verify/{proxy+}', methods: [apigwv2.HttpMethod.GET], integration: verify });
    }
    Validations.of(this.api).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason:
        'Every route authenticates in the function: a single-purpose bearer ' +
        'token (hashed at rest, expiring) from the emailed link. No IAM/JWT ' +
        'identity exists for signers. ' +
        'The GET /api/verify routes are public by design (anyone may verify a ' +
        'document), read-only, throttled with the stage.',
    });
  }

  /** The base URL without trailing slash, e.g. https://abc.execute-api.eu-west-1.amazonaws.com */
  get url(): string {
    return this.api.apiEndpoint;
  }
}
