// The static signing page and customer area: a private bucket served only through CloudFront
// (origin access control, HTTPS only, security headers, strict CSP), plus a runtime config.json
// that tells the page where the API is. Built from web/dist (the web build's output).
import { existsSync, readdirSync } from 'node:fs';
import { Annotations, Aws, Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';

export type WebSiteProps = {
  /** Directory of the built web page (index of .html, .js, .css files). */
  distDir: string;
  /** Custom domain and its us-east-1 certificate; default the CloudFront domain. */
  domainName?: string;
  certificateArn?: string;
  logRetentionDays: number;
};

/**
 * Where the page may connect: the API, and S3 for the short-lived download URLs the API
 * redirects to for documents too large for a Lambda response.
 */
export function buildContentSecurityPolicy(options: { apiOrigin: string; downloadOrigin: string }): string {
  return [
    "default-src 'none'",
    // pdf.js compiles its image decoders (JPEG 2000, ICC) to WebAssembly; no JS eval is allowed.
    "script-src 'self' 'wasm-unsafe-eval'",
    // pdf.js renders pages in a worker loaded from our origin (blob: for its fallback).
    "worker-src 'self' blob:",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    // pdf.js loads embedded PDF fonts from memory (data:/blob: URLs).
    "font-src 'self' data: blob:",
    `connect-src 'self' ${options.apiOrigin} ${options.downloadOrigin}`,
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    'upgrade-insecure-requests',
  ].join('; ');
}

export class WebSite extends Construct {
  readonly bucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;
  /** https://<domain>, without trailing slash. */
  readonly origin: string;
  readonly hasBuiltPage: boolean;

  constructor(scope: Construct, id: string, props: WebSiteProps) {
    super(scope, id);

    const logs = new s3.Bucket(this, 'LogsBucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      // CloudFront standard logs are written with ACLs.
      objectOwnership: s3.ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [
        { expiration: Duration.days(props.logRetentionDays), noncurrentVersionExpiration: Duration.days(1) },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(logs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the log bucket of the web bucket and of CloudFront; logging it into itself would loop.',
    });

    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: 'web-bucket/',
      lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(30) }],
      // Rebuilt from web/ on every deploy, but a non-empty bucket cannot be deleted by
      // CloudFormation: keep it rather than fail a stack deletion.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const headers = new cloudfront.ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'mailsign: HSTS, strict CSP, no framing, no referrer',
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          // The API id is not known before the API exists, and the API's CORS needs this
          // distribution's domain: the CSP names the regional API Gateway domain instead.
          contentSecurityPolicy: buildContentSecurityPolicy({
            apiOrigin: `https://*.execute-api.${Aws.REGION}.${Aws.URL_SUFFIX}`,
            downloadOrigin: `https://*.s3.${Aws.REGION}.${Aws.URL_SUFFIX}`,
          }),
          override: true,
        },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(730),
          includeSubdomains: true,
          preload: true,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.NO_REFERRER, override: true },
      },
      customHeadersBehavior: {
        customHeaders: [
          {
            header: 'Permissions-Policy',
            value: 'camera=(), microphone=(), geolocation=(), payment=()',
            override: true,
          },
          { header: 'Cross-Origin-Opener-Policy', value: 'same-origin', override: true },
        ],
      },
    });

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'mailsign signing page and customer area',
      defaultRootObject: 'index.html',
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      // Only meaningful with a custom certificate (the default *.cloudfront.net one is fixed).
      minimumProtocolVersion: props.certificateArn ? cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021 : undefined,
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      domainNames: props.domainName ? [props.domainName] : undefined,
      certificate: props.certificateArn
        ? acm.Certificate.fromCertificateArn(this, 'Certificate', props.certificateArn)
        : undefined,
      enableLogging: true,
      logBucket: logs,
      logFilePrefix: 'cloudfront/',
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: headers,
        compress: true,
      },
    });
    this.origin = `https://${props.domainName ?? this.distribution.distributionDomainName}`;

    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR1',
      reason: 'Signers and customers may be anywhere; no geographic restriction applies to the product.',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR2',
      reason:
        'Static files only; the API has its own throttling. A WAF web ACL can be ' +
        'attached by the operator (docs/deploy.md) when its cost is justified.',
    });
    if (!props.certificateArn) {
      Validations.of(this.distribution).acknowledge({
        id: 'AwsSolutions-CFR4',
        reason:
          'Without a custom domain CloudFront serves its default *.cloudfront.net ' +
          'certificate, whose TLS policy cannot be chosen; with -c ' +
          'webCertificateArn the minimum is TLSv1.2_2021.',
      });
    }

    this.hasBuiltPage = existsSync(props.distDir) && readdirSync(props.distDir).length > 0;
    if (!this.hasBuiltPage) {
      Annotations.of(this).addWarningV2(
        'mailsign:web-not-built',
        `${props.distDir} is missing or empty: deploying a placeholder page. Run ` +
          '"npm run build:web" before "cdk deploy".',
      );
    }
  }

  /** Uploads the page and its runtime config.json (done last: the API URL must exist). */
  deployContent(options: { apiUrl: string; distDir: string }): s3deploy.BucketDeployment {
    const page = this.hasBuiltPage
      ? s3deploy.Source.asset(options.distDir)
      : s3deploy.Source.data(
          'index.html',
          '<!doctype html><meta charset="utf-8"><title>mailsign</title><p>The ' +
            'mailsign web page has not been built yet (npm run build:web, then cdk deploy).</p>',
        );
    const deployment = new s3deploy.BucketDeployment(this, 'Content', {
      destinationBucket: this.bucket,
      // web/src/config.ts reads `apiBaseUrl` (no trailing slash).
      sources: [page, s3deploy.Source.jsonData('config.json', { apiBaseUrl: options.apiUrl })],
      distribution: this.distribution,
      distributionPaths: ['/*'],
      memoryLimit: 512,
      prune: true,
    });
    return deployment;
  }
}
