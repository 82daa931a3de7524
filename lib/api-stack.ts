import { CfnOutput, CrossStackReferences, Duration, ReferenceStrength, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import {
  AccessLogFormat,
  EndpointType,
  LambdaIntegration,
  LogGroupLogDestination,
  MethodLoggingLevel,
  ResponseType,
  RestApi,
} from 'aws-cdk-lib/aws-apigateway';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { StepwiseFunction } from './constructs/stepwise-function.ts';
import { RESOURCES, ROUTES, type Resource } from './definitions/routes.ts';
import type { StageConfig } from './stage-config.ts';
import { grantSecretRead } from './secret-access.ts';
import { grantTableAccess, type TableAccess } from './table-access.ts';

/** What each API function's code actually does with the shared resources. */
export interface FunctionAccess {
  readonly table: TableAccess;
  /** Verifies access tokens against the public JWKS. */
  readonly readsJwks: boolean;
  /** Issues access tokens, so it reads the private signing key (and gets SIGNING_KEY_SECRET_ARN). */
  readonly readsSigningKey: boolean;
}

// A Record over Resource: adding a resource to RESOURCES fails type-checking here until someone
// decides what that function may touch.
export const FUNCTION_ACCESS: Readonly<Record<Resource, FunctionAccess>> = {
  auth: { table: 'read-write', readsJwks: true, readsSigningKey: true },
  tasks: { table: 'read-write', readsJwks: true, readsSigningKey: false },
  // Every route of `system` is public (the pipeline verifies no token there) and its health
  // check is DescribeTable, so it gets neither item access nor any secret.
  system: { table: 'describe', readsJwks: false, readsSigningKey: false },
  users: { table: 'read-write', readsJwks: true, readsSigningKey: false },
  accounts: { table: 'read-write', readsJwks: true, readsSigningKey: false },
  'api-keys': { table: 'read-write', readsJwks: true, readsSigningKey: false },
};

export interface ApiStackProps extends StackProps {
  readonly config: StageConfig;
  readonly table: ITable;
  readonly jwksSecret: ISecret;
  readonly signingKeySecret: ISecret;
}

const ALLOWED_HEADERS = ['Content-Type', 'Authorization', 'X-API-Key', 'Idempotency-Key', 'X-Request-Id'];

/**
 * The REST API: one Lambda per resource in RESOURCES, one method per row of ROUTES. Routing,
 * validation and auth inside a resource happen in the function's middy pipeline.
 */
export class ApiStack extends Stack {
  readonly api: RestApi;
  readonly functions: Readonly<Record<Resource, StepwiseFunction>>;
  readonly apiUrlOutput: CfnOutput;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    // Strong (Export/ImportValue): CloudFormation refuses to delete or replace the table or a
    // secret while this API still points at it. Must be set before any child construct.
    CrossStackReferences.of(this).consume(ReferenceStrength.STRONG);
    const { config } = props;

    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: config.logRetention,
      removalPolicy: config.removalPolicy,
    });

    this.api = new RestApi(this, 'Api', {
      restApiName: `${config.stackPrefix}-api`,
      description: `Stepwise ${config.stage} REST API`,
      endpointTypes: [EndpointType.REGIONAL],
      // Access and execution logs to CloudWatch need the account-level API Gateway role.
      cloudWatchRole: true,
      deployOptions: {
        stageName: config.stage.replace(/-/g, '_'),
        tracingEnabled: true,
        metricsEnabled: true,
        // ERROR only: INFO execution logs would repeat the access log at many times the cost, and
        // data tracing would write request bodies (passwords, tokens) to CloudWatch.
        loggingLevel: MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        throttlingRateLimit: config.throttling.rateLimit,
        throttlingBurstLimit: config.throttling.burstLimit,
        accessLogDestination: new LogGroupLogDestination(accessLogs),
        accessLogFormat: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
      defaultCorsPreflightOptions:
        config.corsAllowOrigins.length > 0
          ? {
              allowOrigins: [...config.corsAllowOrigins],
              allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
              allowHeaders: ALLOWED_HEADERS,
              maxAge: Duration.hours(1),
            }
          : undefined,
    });

    this.functions = this.createFunctions(props);
    this.addRoutes();
    this.addErrorResponses();
    this.acknowledgeNagFindings();

    // RestApi adds its own `Endpoint` output under a generated name; one clearly named, exported URL is enough.
    this.api.node.tryRemoveChild('Endpoint');
    this.apiUrlOutput = new CfnOutput(this, 'ApiUrl', {
      description: 'Base URL of the Stepwise API (append api/v1/...)',
      value: this.api.url,
      exportName: `${config.stackPrefix}-ApiUrl`,
    });
  }

  private createFunctions(props: ApiStackProps): Record<Resource, StepwiseFunction> {
    const { config, table, jwksSecret, signingKeySecret } = props;
    const sharedEnvironment = {
      TABLE_NAME: table.tableName,
      JWKS_SECRET_ARN: jwksSecret.secretArn,
      // The same origins the gateway's preflight allows; empty means no CORS headers at all.
      CORS_ORIGINS: config.corsAllowOrigins.join(','),
    };
    const build = (resource: Resource): StepwiseFunction => {
      const access = FUNCTION_ACCESS[resource];
      const fn = new StepwiseFunction(this, functionId(resource), {
        config,
        entry: `functions/${resource}/handler.ts`,
        description: `Stepwise ${config.stage} API: ${resource}`,
        sharedEnvironment,
        environment: access.readsSigningKey ? { SIGNING_KEY_SECRET_ARN: signingKeySecret.secretArn } : undefined,
      });
      grantTableAccess(table, fn, access.table);
      if (access.readsJwks) grantSecretRead(jwksSecret, fn);
      if (access.readsSigningKey) grantSecretRead(signingKeySecret, fn);
      return fn;
    };
    return Object.fromEntries(RESOURCES.map((r) => [r, build(r)])) as Record<Resource, StepwiseFunction>;
  }

  private addRoutes(): void {
    const integrations = new Map(
      RESOURCES.map((r) => [
        r,
        // No test-invoke permission: each one doubles the function's resource policy, and the
        // console test button is not part of how Stepwise is operated.
        new LambdaIntegration(this.functions[r].function, { allowTestInvoke: false }),
      ]),
    );
    for (const route of ROUTES) {
      const integration = integrations.get(route.resource);
      if (!integration) throw new Error(`No function for resource '${route.resource}' (${route.method} ${route.path})`);
      this.api.root.resourceForPath(route.path).addMethod(route.method, integration, {
        operationName: route.operation,
      });
    }
  }

  /**
   * Errors API Gateway answers itself (unknown route, throttling, payload size) use the API's one
   * error shape, so clients never need a second parser.
   */
  private addErrorResponses(): void {
    const responses: [string, ResponseType, string, string, Record<string, string>?][] = [
      ['NotFound', ResponseType.MISSING_AUTHENTICATION_TOKEN, '404', 'not_found'],
      ['ResourceNotFound', ResponseType.RESOURCE_NOT_FOUND, '404', 'not_found'],
      ['Unauthorized', ResponseType.UNAUTHORIZED, '401', 'unauthorized'],
      ['AccessDenied', ResponseType.ACCESS_DENIED, '403', 'forbidden'],
      ['TooLarge', ResponseType.REQUEST_TOO_LARGE, '413', 'payload_too_large'],
      // The stage limit is a per-second token bucket, so one second is an honest retry hint.
      ['Throttled', ResponseType.THROTTLED, '429', 'rate_limit_exceeded', { 'Retry-After': "'1'" }],
      ['QuotaExceeded', ResponseType.QUOTA_EXCEEDED, '429', 'quota_exceeded'],
      ['Default4xx', ResponseType.DEFAULT_4XX, '400', 'invalid_request'],
      ['Default5xx', ResponseType.DEFAULT_5XX, '500', 'internal_error'],
    ];
    for (const [id, type, statusCode, code, headers] of responses) {
      const retry = code === 'rate_limit_exceeded' ? ',"retry_after":1' : '';
      this.api.addGatewayResponse(id, {
        type,
        // DEFAULT_* keep API Gateway's own status (e.g. 504 on integration timeout).
        statusCode: type === ResponseType.DEFAULT_4XX || type === ResponseType.DEFAULT_5XX ? undefined : statusCode,
        responseHeaders: { 'Content-Type': "'application/json'", ...headers },
        templates: {
          'application/json': `{"error":{"code":"${code}","message":$context.error.messageString,"request_id":"$context.requestId"${retry}}}`,
        },
      });
    }
  }

  private acknowledgeNagFindings(): void {
    const api = Validations.of(this.api);
    api.acknowledge({
      id: 'AwsSolutions-APIG4',
      reason:
        'Authentication happens in the function pipeline: functions/http verifies the JWT (ES256, keys from the JWKS secret) and the route scope from lib/definitions/routes.ts before any handler runs; register, login, health and docs are public by design. A Lambda authorizer arrives with the identity work, for usage-plan keying.',
    });
    api.acknowledge({
      id: 'AwsSolutions-COG4',
      reason:
        'Stepwise issues its own ES256 JWTs (password login, API keys, OAuth client credentials) rather than using Cognito; tokens are verified in the function pipeline, and a Lambda authorizer, not a Cognito authorizer, is the planned gateway-level check.',
    });
    api.acknowledge({
      id: 'AwsSolutions-APIG2',
      reason:
        'Requests are validated by strict zod schemas in each function (unknown fields rejected) that answer with the API-wide error shape {"error":{"code":"validation_error","field",...}}; an API Gateway request validator would answer first with a different body and duplicate the schemas.',
    });
    Validations.of(this.api.deploymentStage).acknowledge({
      id: 'AwsSolutions-APIG3',
      reason:
        'No WAF web ACL is deployed by default: Stepwise is installed into customer accounts where WAF is usually managed centrally (Firewall Manager) and billed per ACL; stage throttling and per-principal rate limits in the pipeline cover abuse until a customer attaches their ACL to this stage.',
    });
    const cloudWatchRole = this.api.node.tryFindChild('CloudWatchRole');
    if (cloudWatchRole) {
      Validations.of(cloudWatchRole).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
        reason:
          'The account-level role API Gateway assumes to write access and execution logs (required by APIG1/APIG6). AmazonAPIGatewayPushToCloudWatchLogs is the AWS-maintained policy for exactly this service role, is assumable only by apigateway.amazonaws.com, and keeps up with new log delivery needs.',
      });
    }
  }
}

/** `auth` -> `AuthFunction`: stable construct ids, so logical ids never change with order. */
function functionId(resource: Resource): string {
  return `${resource.charAt(0).toUpperCase()}${resource.slice(1)}Function`;
}

/** One JSON object per request, so Logs Insights can filter on fields without parsing. */
const ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  extendedRequestId: '$context.extendedRequestId',
  ip: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
  requestTime: '$context.requestTime',
  method: '$context.httpMethod',
  resourcePath: '$context.resourcePath',
  path: '$context.path',
  protocol: '$context.protocol',
  status: '$context.status',
  responseLength: '$context.responseLength',
  latencyMs: '$context.responseLatency',
  integrationLatencyMs: '$context.integration.latency',
  integrationStatus: '$context.integration.status',
  integrationError: '$context.integration.error',
  error: '$context.error.message',
  errorType: '$context.error.responseType',
  xrayTraceId: '$context.xrayTraceId',
};
