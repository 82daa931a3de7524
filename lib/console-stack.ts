import { Aws, CfnOutput, Duration, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  PriceClass,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption, type CfnBucket, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import type { Construct } from 'constructs';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONSOLE_CACHE_CONTROL, CONSOLE_CONFIG_FILE, CONSOLE_DIST_DIR, CONSOLE_SECURITY_HEADERS, consoleContentSecurityPolicy, type ConsoleRuntimeConfig } from './definitions/console.ts';
import type { StageConfig } from './stage-config.ts';

const DIST = fileURLToPath(new URL(`../${CONSOLE_DIST_DIR}`, import.meta.url));

export interface ConsoleStackProps extends StackProps {
  readonly config: StageConfig;
  /** The built console (default console/dist, made by `npm run build:console`). */
  readonly distDir?: string;
}

/**
 * The web console as a static site (docs/deploy.md#console): a private S3 bucket that only this
 * CloudFront distribution can read (origin access control), the console's security headers and
 * Content Security Policy as a response headers policy, and access logs. It references nothing
 * of the API, so the API stack can allow its origin for CORS; ConsoleConfigStack then writes the
 * stage's API and WebSocket URLs next to the app.
 */
export class ConsoleStack extends Stack {
  readonly bucket: Bucket;
  readonly distribution: Distribution;
  readonly headers: ResponseHeadersPolicy;
  /** `https://<distribution domain>`: the console's browser origin. */
  readonly origin: string;
  readonly urlOutput: CfnOutput;
  readonly assets: BucketDeployment;
  readonly document: BucketDeployment;

  constructor(scope: Construct, id: string, props: ConsoleStackProps) {
    super(scope, id, props);
    const { config } = props;
    const dist = props.distDir ?? DIST;
    if (!existsSync(join(dist, 'index.html'))) throw new Error(`The console is not built (${dist}): run npm run build:console`);

    const logs = new Bucket(this, 'Logs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // CloudFront standard logging writes with an ACL, so the log bucket keeps ACLs (for its own writer only).
      objectOwnership: ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ expiration: Duration.days(config.retainData ? 365 : 30) }],
      removalPolicy: config.removalPolicy,
      // CloudFormation deletes only empty buckets: on dev-like stages `cdk destroy` empties it first.
      autoDeleteObjects: !config.retainData,
    });
    Validations.of(logs).acknowledge({ id: 'AwsSolutions-S1', reason: 'This is the access-log bucket of the console bucket and distribution; logging it into itself would loop.' });

    this.bucket = new Bucket(this, 'Site', {
      // A fixed name, so the config stack addresses it without a cross-stack reference in its policy.
      bucketName: consoleBucketName(config),
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: 's3/',
      versioned: config.retainData,
      removalPolicy: config.removalPolicy,
      autoDeleteObjects: !config.retainData,
    });

    // The API and WebSocket origins are API Gateway endpoints of this region; naming them exactly
    // would make this stack depend on the API stack, which itself allows this origin for CORS.
    const apiOrigins = [`https://*.execute-api.${Aws.REGION}.${Aws.URL_SUFFIX}`, `wss://*.execute-api.${Aws.REGION}.${Aws.URL_SUFFIX}`];
    this.headers = new ResponseHeadersPolicy(this, 'Headers', {
      comment: `Stepwise ${config.stage} console: CSP and security headers (lib/definitions/console.ts)`,
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: consoleContentSecurityPolicy(apiOrigins), override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(365), includeSubdomains: true, override: true },
      },
      customHeadersBehavior: {
        customHeaders: [
          { header: 'Cross-Origin-Opener-Policy', value: CONSOLE_SECURITY_HEADERS['Cross-Origin-Opener-Policy'], override: true },
          { header: 'Permissions-Policy', value: CONSOLE_SECURITY_HEADERS['Permissions-Policy'], override: true },
        ],
      },
    });

    this.distribution = new Distribution(this, 'Distribution', {
      comment: `Stepwise ${config.stage} console`,
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: this.headers,
        compress: true,
      },
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_100,
      enableLogging: true,
      logBucket: logs,
      logFilePrefix: 'cloudfront/',
    });
    Validations.of(this.distribution).acknowledge(
      { id: 'AwsSolutions-CFR4', reason: 'The default *.cloudfront.net certificate cannot pin a minimum TLS version (its policy is fixed by CloudFront); a stage with its own domain and ACM certificate should set minimumProtocolVersion TLS_V1_2_2021 (docs/deploy.md#console).' },
      { id: 'AwsSolutions-CFR1', reason: 'The console is a static app for the stage operators, wherever they are; access control is the API’s sign-in.' },
      { id: 'AwsSolutions-CFR2', reason: 'Static files only (no API behind this distribution); the API has its own throttling and usage plans. A WAF web ACL can be attached per stage.' },
    );

    // Hashed assets never change under their name; the document is revalidated on every load.
    this.assets = new BucketDeployment(this, 'Assets', {
      sources: [Source.asset(join(dist, 'assets'))],
      destinationBucket: this.bucket,
      destinationKeyPrefix: 'assets/',
      cacheControl: [CacheControl.fromString(CONSOLE_CACHE_CONTROL.immutable)],
      prune: false,
    });
    this.document = new BucketDeployment(this, 'Document', {
      sources: [Source.asset(dist, { exclude: ['assets', 'assets/**', CONSOLE_CONFIG_FILE, '.build-stamp'] })],
      destinationBucket: this.bucket,
      cacheControl: [CacheControl.fromString(CONSOLE_CACHE_CONTROL.revalidate)],
      // The assets and config.json come from the other deployments.
      prune: false,
      distribution: this.distribution,
      distributionPaths: ['/', '/index.html'],
    });
    acknowledgeDeploymentFunction(this, `<${this.getLogicalId(this.bucket.node.defaultChild as CfnBucket)}.Arn>/*`);

    this.origin = `https://${this.distribution.distributionDomainName}`;
    this.urlOutput = new CfnOutput(this, 'ConsoleUrl', { description: 'The web console (sign in with a Stepwise user)', value: this.origin });
    this.urlOutput.overrideLogicalId('ConsoleUrl');
  }
}

export interface ConsoleConfigStackProps extends StackProps {
  readonly config: StageConfig;
  readonly site: ConsoleStack;
  /** The REST API's URL (`https://…/<stage>/`): config.json's api_url. */
  readonly apiUrl: string;
  /** The live-updates WebSocket URL: config.json's live_url. */
  readonly liveUrl: string;
}

/** Writes config.json (the stage's API and WebSocket URLs) into the console bucket, after the API and events stacks exist. */
export class ConsoleConfigStack extends Stack {
  readonly deployment: BucketDeployment;

  constructor(scope: Construct, id: string, props: ConsoleConfigStackProps) {
    super(scope, id, props);
    const runtime: ConsoleRuntimeConfig = { api_url: props.apiUrl, live_url: props.liveUrl };
    this.deployment = new BucketDeployment(this, 'Config', {
      sources: [Source.jsonData(CONSOLE_CONFIG_FILE, runtime)],
      destinationBucket: Bucket.fromBucketName(this, 'Site', consoleBucketName(props.config)),
      cacheControl: [CacheControl.fromString(CONSOLE_CACHE_CONTROL.revalidate)],
      prune: false,
      distribution: props.site.distribution,
      distributionPaths: [`/${CONSOLE_CONFIG_FILE}`],
    });
    acknowledgeDeploymentFunction(this, `arn:<AWS::Partition>:s3:::${consoleBucketName(props.config).replace(Aws.ACCOUNT_ID, '<AWS::AccountId>').replace(Aws.REGION, '<AWS::Region>')}/*`);
  }
}

/** The stage config with the console's origin added to the API's CORS origins (bin/app.ts). */
export function withConsoleOrigin(config: StageConfig, site: ConsoleStack): StageConfig {
  return { ...config, corsAllowOrigins: [...config.corsAllowOrigins, site.origin] };
}

/**
 * CDK's BucketDeployment copies the build with one singleton Lambda per stack (a CDK-managed
 * runtime, AWSLambdaBasicExecutionRole, and read on the asset bucket / write on the console bucket).
 */
function acknowledgeDeploymentFunction(stack: Stack, siteObjects: string): void {
  const singleton = stack.node.tryFindChild('Custom::CDKBucketDeployment8693BB64968944B69AAFB0CC9EB8756C');
  if (!singleton) return;
  const copy = 'BucketDeployment copies every object of the console build (read from the CDK asset bucket, write to the console bucket) and invalidates the distribution’s cache (CreateInvalidation has no resource-level scope).';
  Validations.of(singleton).acknowledge(
    { id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]', reason: 'CDK’s BucketDeployment function logs with AWSLambdaBasicExecutionRole; it runs only during deployments.' },
    ...['s3:Abort*', 's3:DeleteObject*', 's3:GetBucket*', 's3:GetObject*', 's3:List*'].map((action) => ({ id: `AwsSolutions-IAM5[Action::${action}]`, reason: copy })),
    { id: 'AwsSolutions-IAM5[Resource::*]', reason: copy },
    { id: `AwsSolutions-IAM5[Resource::${siteObjects}]`, reason: copy },
    { id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*]', reason: copy },
    { id: 'AwsSolutions-L1', reason: 'The BucketDeployment function’s runtime is chosen and upgraded by aws-cdk-lib.' },
  );
}

/** `stepwise-<stage>-console-<account>-<region>`. */
function consoleBucketName(config: StageConfig): string {
  return `${config.stackPrefix.toLowerCase()}-console-${Aws.ACCOUNT_ID}-${Aws.REGION}`;
}
