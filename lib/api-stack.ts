import { type CfnElement, CfnOutput, CrossStackReferences, Duration, NestedStack, ReferenceStrength, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import {
  AccessLogFormat,
  ApiKeySourceType,
  AuthorizationType,
  type CfnMethod,
  EndpointType,
  Integration,
  IntegrationType,
  type IResource,
  LogGroupLogDestination,
  Method,
  MethodLoggingLevel,
  RequestAuthorizer,
  Resource as ApiResource,
  ResponseType,
  RestApi,
  type UsagePlan,
} from 'aws-cdk-lib/aws-apigateway';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { type BundledFile, StepwiseFunction } from './constructs/stepwise-function.ts';
import { webhookQueueAddress } from './constructs/webhook-delivery.ts';
import { scheduleTriggerEnvironment } from './constructs/workflow-triggers.ts';
import { anonymousLimitedHeaders, anonymousLimitedMessage, REFUSAL_CONTEXT_HEADERS, REFUSAL_MESSAGE } from './definitions/gateway-refusals.ts';
import { RESOURCES, ROUTES, type Resource, type RouteDefinition } from './definitions/routes.ts';
import type { StageConfig } from './stage-config.ts';
import { grantSecretRead } from './secret-access.ts';
import { grantTableAccess } from './table-access.ts';
import { API_DOCUMENT_FILE, API_DOCUMENT_GENERATOR, DOCS_ASSETS, DOCS_ASSETS_DIR } from './definitions/docs-assets.ts';
import { apiFunctionId, FUNCTION_ACCESS, grantFunctionAccess, type StateMachineSupport } from './constructs/function-access.ts';

export { FUNCTION_ACCESS, type FunctionAccess, type StateMachineSupport } from './constructs/function-access.ts';

export interface ApiStackProps extends StackProps {
  readonly config: StageConfig;
  readonly table: ITable;
  readonly jwksSecret: ISecret;
  readonly signingKeySecret: ISecret;
  readonly stateMachines: StateMachineSupport;
  /** KMS key for account secrets; the function that manages secrets encrypts with it. */
  readonly secretsKey: IKey;
  /**
   * The route table to build (default ROUTES). Only tests pass another one: the resource-count
   * test adds the routes later issues plan, to prove the stacks stay within their bound.
   */
  readonly routes?: readonly RouteDefinition[];
}

/** Account tiers (identity.ts `Plan`), each with its usage plan. */
type Tier = 'free' | 'enterprise';
const TIERS: readonly Tier[] = ['free', 'enterprise'];

/** Fixed at synth time, so functions can find a plan without referring to it (see createFunctions). */
export const usagePlanName = (config: StageConfig, tier: Tier): string => `${config.stackPrefix}-${tier}`;

/** The API Gateway stage: the stage name with `_` for `-`. */
export const apiStageName = (config: StageConfig): string => config.stage.replace(/-/g, '_');

/** Requests a minute as API Gateway's requests a second, to two decimals (100/min → 1.67/s). */
export const perSecond = (perMinute: number): number => Math.round((perMinute / 60) * 100) / 100;

const ALLOWED_HEADERS = ['Content-Type', 'Authorization', 'X-API-Key', 'Idempotency-Key', 'X-Request-Id'];

/**
 * The REST API: one Lambda per resource in RESOURCES, one method per row of ROUTES. Routing,
 * validation and auth inside a resource happen in the function's middy pipeline.
 */
export class ApiStack extends Stack {
  readonly api: RestApi;
  readonly functions: Readonly<Record<Resource, StepwiseFunction>>;
  /** The REQUEST authorizer on every non-public route; it also picks the caller's usage-plan key. */
  readonly authorizerFunction: StepwiseFunction;
  readonly authorizer: RequestAuthorizer;
  readonly usagePlans: Readonly<Record<Tier, UsagePlan>>;
  readonly apiUrlOutput: CfnOutput;
  /** The API's path resources and their CORS preflights (docs/deploy.md#resource-counts). */
  readonly pathsStack: NestedStack;
  /** One nested stack per resource group holding that group's methods. */
  readonly routeStacks: Readonly<Record<Resource, NestedStack>>;
  /** Every route's method, in route-table order. */
  readonly methods: Method[] = [];

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
      // The authorizer names the caller's account key (usageIdentifierKey); clients never send one.
      apiKeySourceType: ApiKeySourceType.AUTHORIZER,
      // Access and execution logs go through the account-level API Gateway role, which the workflow
      // stack sets before this stack deploys (docs/deploy.md#deploy-order).
      cloudWatchRole: false,
      deployOptions: {
        stageName: apiStageName(config),
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
    ({ fn: this.authorizerFunction, authorizer: this.authorizer } = this.createAuthorizer(props));
    ({ paths: this.pathsStack, groups: this.routeStacks } = this.addRoutes(props.routes ?? ROUTES));
    this.addPreflightRequestIds();
    this.usagePlans = this.addUsagePlans(config);
    this.grantGatewayKeyManagement(config);
    this.addErrorResponses(config);
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
      // The precise limiter's budgets; the usage plans above are only the coarse backstop.
      RATE_LIMIT_FREE: String(config.rateLimits.free),
      RATE_LIMIT_ENTERPRISE: String(config.rateLimits.enterprise),
      RATE_LIMIT_ANONYMOUS: String(config.rateLimits.anonymous),
      RATE_LIMIT_WINDOW_SECONDS: String(config.rateLimits.windowSeconds),
      RATE_LIMIT_ACCOUNT_FREE: String(config.rateLimits.account.free),
      RATE_LIMIT_ACCOUNT_ENTERPRISE: String(config.rateLimits.account.enterprise),
    };
    const build = (resource: Resource): StepwiseFunction => {
      const access = FUNCTION_ACCESS[resource];
      const fn = new StepwiseFunction(this, apiFunctionId(resource), {
        config,
        entry: `functions/${resource}/handler.ts`,
        description: `Stepwise ${config.stage} API: ${resource}`,
        ...(access.servesDocsAssets
          ? { bundledFiles: docsBundledFiles(config) }
          : {}),
        sharedEnvironment,
        environment: {
          ...(access.readsSigningKey ? { SIGNING_KEY_SECRET_ARN: signingKeySecret.secretArn } : {}),
          // Platform admins get their role when a token is issued (AuthService), so the issuers need the list.
          ...(access.readsSigningKey && config.platformAdmins.length > 0 ? { PLATFORM_ADMINS: config.platformAdmins.join(',') } : {}),
          // Names, not ids: a variable referring to a usage plan would close a CloudFormation
          // cycle (plan → stage → deployment → method → this function).
          ...(access.managesGatewayKeys ? { USAGE_PLAN_FREE_NAME: usagePlanName(config, 'free'), USAGE_PLAN_ENTERPRISE_NAME: usagePlanName(config, 'enterprise') } : {}),
          ...(access.managesSecrets ? { SECRETS_KMS_KEY_ID: props.secretsKey.keyArn } : {}),
          ...(access.managesSchedules ? scheduleTriggerEnvironment(this, config) : {}),
          // Built from the REST API's id, not `api.url`: the URL names the deployment stage, which
          // depends on every method and so on this function (a CloudFormation cycle); the id does not.
          ...(access.showsHookUrls ? { PUBLIC_BASE_URL: `https://${this.api.restApiId}.execute-api.${this.region}.${this.urlSuffix}/${apiStageName(config)}` } : {}),
          ...(access.enqueuesWebhookDeliveries ? { WEBHOOK_QUEUE_URL: webhookQueueAddress(this, config).url } : {}),
          ...(access.answersChat ? { CHAT_ENGINE: config.chat.engine, ...(config.chat.bedrockModelId ? { BEDROCK_MODEL_ID: config.chat.bedrockModelId } : {}) } : {}),
          ...(access.managesStateMachines
            ? {
                TASK_RUNNER_ARN: props.stateMachines.taskRunnerArn,
                STATE_MACHINE_PREFIX: props.stateMachines.machinePrefix,
                STATE_MACHINE_ARN_PREFIX: props.stateMachines.machineArnPrefix,
                STATE_MACHINE_ROLE_ARN: props.stateMachines.machineRole.roleArn,
                STATE_MACHINE_LOG_GROUP_ARN: props.stateMachines.machineLogGroup.logGroupArn,
              }
            : {}),
        },
      });
      grantFunctionAccess(fn, access, { config, table, jwksSecret, signingKeySecret, secretsKey: props.secretsKey, stateMachines: props.stateMachines });
      return fn;
    };
    return Object.fromEntries(RESOURCES.map((r) => [r, build(r)])) as Record<Resource, StepwiseFunction>;
  }

  /**
   * Paths and methods live in nested stacks so the number of resources in any one stack no longer
   * grows with the route table (CloudFormation's limit is 500 a stack; docs/deploy.md#resource-counts):
   * every path resource and its CORS preflight in `Paths`, and each resource group's methods in
   * a stack of their own. Each function has one invoke permission for the whole stage instead of
   * one per method. The deployment in this stack depends on every method, so the stage is only
   * (re)deployed once all of them exist.
   */
  private addRoutes(routes: readonly RouteDefinition[]): { paths: NestedStack; groups: Record<Resource, NestedStack> } {
    const paths = new NestedStack(this, 'Paths', { description: 'Stepwise API paths and their CORS preflights' });
    const byPath = new Map<string, IResource>([['/', this.api.root]]);
    const resourceFor = (path: string): IResource => {
      const known = byPath.get(path);
      if (known) return known;
      const cut = path.lastIndexOf('/');
      const parent = resourceFor(cut === 0 ? '/' : path.slice(0, cut));
      const pathPart = path.slice(cut + 1);
      // Nested under its parent construct (or the Paths stack for first-level paths), as RestApi.root.resourceForPath would.
      const scope = parent === this.api.root ? paths : (parent as ApiResource);
      const created = new ApiResource(scope, pathPart, { parent, pathPart });
      byPath.set(path, created);
      return created;
    };

    const groups = {} as Record<Resource, NestedStack>;
    for (const resource of RESOURCES) {
      const fn = this.functions[resource].function;
      // One permission per function for this stage's methods; the routes themselves name the function.
      fn.addPermission('ApiGatewayInvoke', {
        principal: new iam.ServicePrincipal('apigateway.amazonaws.com'),
        sourceArn: this.api.arnForExecuteApi('*', '/*', this.api.deploymentStage.stageName),
      });
      const integration = new Integration({
        type: IntegrationType.AWS_PROXY,
        integrationHttpMethod: 'POST',
        uri: `arn:${this.partition}:apigateway:${this.region}:lambda:path/2015-03-31/functions/${fn.functionArn}/invocations`,
      });
      const group = new NestedStack(this, `${apiFunctionId(resource)}Routes`, { description: `Stepwise API methods of ${resource}` });
      groups[resource] = group;
      const ids = new Set<string>();
      for (const route of routes.filter((r) => r.resource === resource)) {
        const id = `${route.method}${route.path.replace(/[^A-Za-z0-9]+/g, '_')}`;
        if (ids.has(id)) throw new Error(`Two routes of ${resource} map to method id ${id}`);
        ids.add(id);
        const method = new Method(group, id, {
          resource: resourceFor(route.path),
          httpMethod: route.method,
          integration,
          options: {
            operationName: route.operation,
            // Public routes (register, login, health, docs, token) stay open to anyone.
            ...(route.scope === null ? {} : { authorizer: this.authorizer, authorizationType: AuthorizationType.CUSTOM, apiKeyRequired: true }),
          },
        });
        this.methods.push(method);
      }
      this.acknowledgeMethodFindings(group, routes.some((r) => r.resource === resource && r.scope === null));
    }
    for (const route of routes) {
      if (!RESOURCES.includes(route.resource)) throw new Error(`No function for resource '${route.resource}' (${route.method} ${route.path})`);
    }
    return { paths, groups };
  }

  /**
   * Every answer carries X-Request-Id (docs/api.md#errors), CORS preflights too: their mock
   * integration maps API Gateway's request id into the header. CDK's preflight options have no
   * field for it, hence the override on each generated OPTIONS method.
   */
  private addPreflightRequestIds(): void {
    const header = 'method\\.response\\.header\\.X-Request-Id';
    for (const method of this.api.methods.filter((m) => m.httpMethod === 'OPTIONS')) {
      const cfn = method.node.defaultChild as CfnMethod;
      cfn.addPropertyOverride(`Integration.IntegrationResponses.0.ResponseParameters.${header}`, 'context.requestId');
      cfn.addPropertyOverride(`MethodResponses.0.ResponseParameters.${header}`, true);
    }
  }

  /**
   * Runs on every request (no API Gateway result cache): with caching on, API Gateway requires
   * every identity source and rejects a request lacking one without calling the authorizer, but
   * a caller sends either Authorization or X-API-Key. The function remembers verified callers
   * itself (AUTHORIZER_CACHE_SECONDS); see docs/deploy.md.
   */
  private createAuthorizer(props: ApiStackProps): { fn: StepwiseFunction; authorizer: RequestAuthorizer } {
    const { config, table, jwksSecret } = props;
    const fn = new StepwiseFunction(this, 'AuthorizerFunction', {
      config,
      entry: 'functions/authorizer/handler.ts',
      description: `Stepwise ${config.stage} API: gateway authorizer`,
      environment: {
        TABLE_NAME: table.tableName,
        JWKS_SECRET_ARN: jwksSecret.secretArn,
        AUTHORIZER_CACHE_SECONDS: String(config.authorizerCacheSeconds),
        // Refused credentials are charged to their address at the anonymous limit (lib/definitions/gateway-refusals.ts).
        RATE_LIMIT_ANONYMOUS: String(config.rateLimits.anonymous),
        RATE_LIMIT_WINDOW_SECONDS: String(config.rateLimits.windowSeconds),
      },
    });
    // Sessions, API keys, OAuth clients and accounts are all read by key: GetItem is enough.
    grantTableAccess(table, fn, 'get');
    // The anonymous counters of refused requests, and nothing else: one UpdateItem on a RATELIMIT# item.
    iam.Grant.addToPrincipal({
      grantee: fn,
      actions: ['dynamodb:UpdateItem'],
      resourceArns: [table.tableArn],
      conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['RATELIMIT#ip#*'] } },
    });
    grantSecretRead(jwksSecret, fn);
    const authorizer = new RequestAuthorizer(this, 'Authorizer', {
      authorizerName: `${config.stackPrefix}-authorizer`,
      handler: fn.function,
      identitySources: [],
      resultsCacheTtl: Duration.seconds(0),
    });
    return { fn, authorizer };
  }

  /**
   * One usage plan per tier on this stage. API Gateway throttles per second, so a per-minute tier
   * limit becomes rate = N/60 with a burst of the minute's allowance (see StageConfig.usagePlans).
   */
  private addUsagePlans(config: StageConfig): Record<Tier, UsagePlan> {
    const plan = (tier: Tier) => {
      const limits = config.usagePlans[tier];
      return this.api.addUsagePlan(`${tier === 'free' ? 'Free' : 'Enterprise'}UsagePlan`, {
        name: usagePlanName(config, tier),
        description: `Stepwise ${config.stage} ${tier} tier: about ${limits.requestsPerMinute} requests a minute per account`,
        throttle: { rateLimit: perSecond(limits.requestsPerMinute), burstLimit: limits.burstLimit },
        apiStages: [{ api: this.api, stage: this.api.deploymentStage }],
      });
    };
    return { free: plan('free'), enterprise: plan('enterprise') };
  }

  /**
   * Exactly the control-plane calls of adapters/aws/api-gateway-keys.ts. In a policy of its own
   * rather than the role's default policy: the function does not wait for it, which keeps the
   * usage plans (and so the stage and every method) out of the functions' dependencies.
   */
  private grantGatewayKeyManagement(config: StageConfig): void {
    const arn = (path: string) => `arn:${this.partition}:apigateway:${this.region}::${path}`;
    const plans = TIERS.map((tier) => this.usagePlans[tier].usagePlanId);
    for (const resource of RESOURCES.filter((r) => FUNCTION_ACCESS[r].managesGatewayKeys)) {
      const policy = new iam.Policy(this.functions[resource], 'GatewayKeys', {
        roles: [this.functions[resource].role],
        statements: [
          // GetUsagePlans: the plan ids by name, once per container.
          new iam.PolicyStatement({ actions: ['apigateway:GET'], resources: [arn('/usageplans')] }),
          // CreateApiKey, and CreateUsagePlanKey into either tier's plan.
          new iam.PolicyStatement({ actions: ['apigateway:POST'], resources: [arn('/apikeys'), ...plans.map((id) => arn(`/usageplans/${id}/keys`))] }),
          // Tag-on-create is authorised as TagResource; only with this stage's tag.
          new iam.PolicyStatement({
            actions: ['apigateway:PUT'],
            resources: [arn('/tags/*')],
            conditions: { StringEquals: { 'aws:RequestTag/stepwise:stage': config.stage } },
          }),
          // DeleteApiKey, and DeleteUsagePlanKey out of either tier's plan.
          new iam.PolicyStatement({ actions: ['apigateway:DELETE'], resources: [arn('/apikeys/*'), ...plans.map((id) => arn(`/usageplans/${id}/keys/*`))] }),
        ],
      });
      const reason = (what: string) => ({ id: `AwsSolutions-IAM5[Resource::${what}]` });
      Validations.of(policy).acknowledge({
        ...reason('arn:<AWS::Partition>:apigateway:<AWS::Region>::/apikeys/*'),
        reason:
          'DeleteApiKey targets the per-account API key created at run time when an account is registered or created; its id does not exist at deploy time, so the key collection path is the narrowest resource. Only DELETE is granted there (no GET: key values are never read back).',
      });
      Validations.of(policy).acknowledge({
        ...reason('arn:<AWS::Partition>:apigateway:<AWS::Region>::/tags/*'),
        reason:
          'API Gateway authorises tags sent with CreateApiKey as a PUT on /tags/<url-encoded key ARN>, and the key ARN is only known after creation; the statement is limited by an aws:RequestTag condition to requests carrying this stage’s stepwise:stage tag.',
      });
      for (const tier of TIERS) {
        Validations.of(policy).acknowledge({
          ...reason(`arn:<AWS::Partition>:apigateway:<AWS::Region>::/usageplans/<${this.getLogicalId(this.usagePlans[tier].node.defaultChild as CfnElement)}>/keys/*`),
          reason: `DeleteUsagePlanKey removes an account key from the ${tier} usage plan when the account changes tier; keys are created at run time, so the plan’s key collection of this one plan is the narrowest resource API Gateway offers.`,
        });
      }
    }
  }

  /**
   * Errors API Gateway answers itself (unknown route, throttling, payload size) use the API's one
   * error shape, so clients never need a second parser, and carry the CORS headers a function's
   * answer would, so a browser can read them (docs/deploy.md#gateway-errors-and-cors).
   */
  private addErrorResponses(config: StageConfig): void {
    const cors = gatewayCorsHeaders(config.corsAllowOrigins);
    const quoted = (headers: Record<string, string>) => Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, `'${v}'`]));
    const fromContext = Object.fromEntries(Object.entries(REFUSAL_CONTEXT_HEADERS).map(([header, key]) => [header, `context.authorizer.${key}`]));
    const responses: [string, ResponseType, string, string, Record<string, string>?][] = [
      ['NotFound', ResponseType.MISSING_AUTHENTICATION_TOKEN, '404', 'not_found'],
      ['ResourceNotFound', ResponseType.RESOURCE_NOT_FOUND, '404', 'not_found'],
      // The authorizer's two refusals (lib/definitions/gateway-refusals.ts): Deny within the
      // address's anonymous budget, with its rate-limit fields; `Unauthorized` over it.
      ['AccessDenied', ResponseType.ACCESS_DENIED, '401', 'unauthorized', { 'WWW-Authenticate': `'Bearer realm="stepwise"'`, ...fromContext }],
      ['Unauthorized', ResponseType.UNAUTHORIZED, '429', 'rate_limit_exceeded', quoted(anonymousLimitedHeaders(config.rateLimits))],
      // An account without a usage-plan key (created before per-account keys; any update adds one).
      ['InvalidApiKey', ResponseType.INVALID_API_KEY, '403', 'forbidden'],
      ['TooLarge', ResponseType.REQUEST_TOO_LARGE, '413', 'payload_too_large'],
      // The stage limit is a per-second token bucket, so one second is an honest retry hint.
      ['Throttled', ResponseType.THROTTLED, '429', 'rate_limit_exceeded', { 'Retry-After': "'1'" }],
      ['QuotaExceeded', ResponseType.QUOTA_EXCEEDED, '429', 'quota_exceeded'],
      ['Default4xx', ResponseType.DEFAULT_4XX, '400', 'invalid_request'],
      ['Default5xx', ResponseType.DEFAULT_5XX, '500', 'internal_error'],
    ];
    for (const [id, type, statusCode, code, headers] of responses) {
      // Throttling is a per-second bucket (one second); the anonymous refusal's window is the stage's.
      const after = type === ResponseType.UNAUTHORIZED ? config.rateLimits.windowSeconds : 1;
      const retry = code === 'rate_limit_exceeded' ? `,"retry_after":${after}` : '';
      const message = type === ResponseType.UNAUTHORIZED ? JSON.stringify(anonymousLimitedMessage(config.rateLimits)) : type === ResponseType.ACCESS_DENIED ? JSON.stringify(REFUSAL_MESSAGE) : '$context.error.messageString';
      this.api.addGatewayResponse(id, {
        type,
        // DEFAULT_* keep API Gateway's own status (e.g. 504 on integration timeout).
        statusCode: type === ResponseType.DEFAULT_4XX || type === ResponseType.DEFAULT_5XX ? undefined : statusCode,
        // The pipeline's security headers, so a gateway answer is no weaker than a function's.
        responseHeaders: {
          'Content-Type': "'application/json'",
          // Every answer carries X-Request-Id (docs/api.md#errors), the gateway's own too.
          'X-Request-Id': 'context.requestId',
          'X-Content-Type-Options': "'nosniff'",
          'Strict-Transport-Security': "'max-age=15552000; includeSubDomains; preload'",
          ...cors,
          ...headers,
        },
        templates: {
          'application/json': `{"error":{"code":"${code}","message":${message},"request_id":"$context.requestId"${retry}}}`,
        },
      });
    }
  }

  private acknowledgeNagFindings(): void {
    // APIG4 and COG4 concern methods, which live in the route stacks (acknowledgeMethodFindings).
    const api = Validations.of(this.api);
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
  }

  /** Findings on a route stack's methods (preflights are exempt from both rules, so the Paths stack has none). */
  private acknowledgeMethodFindings(stack: NestedStack, hasOpenMethods: boolean): void {
    if (hasOpenMethods) {
      Validations.of(stack).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason:
          'Methods of this nested stack are the REST API’s own: every route with a scope in lib/definitions/routes.ts carries the Lambda REQUEST authorizer, and the ones flagged are the public routes by design and the CORS preflights, which browsers send without credentials.',
      });
    }
    Validations.of(stack).acknowledge({
      id: 'AwsSolutions-COG4',
      reason:
        'Methods of this nested stack use the API’s Lambda REQUEST authorizer, which verifies Stepwise’s own ES256 tokens, API keys and OAuth client credentials with the pipeline’s verifier; Cognito user pools are not how Stepwise issues credentials.',
    });
  }
}

/** `auth` -> `AuthFunction`: stable construct ids, so logical ids never change with order. */

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

/**
 * CORS headers for API Gateway's own answers. Gateway responses take static values or request
 * parameters, no conditions: one origin (or `*`) is sent as is; several are answered by echoing the
 * request's Origin — the preflight still admits only the configured ones, so a foreign page can at
 * most read a gateway error body, which holds nothing but a message and the request id.
 */
export function gatewayCorsHeaders(origins: readonly string[]): Record<string, string> {
  if (origins.length === 0) return {};
  const allow = origins.length === 1 ? `'${origins[0]}'` : 'method.request.header.Origin';
  return {
    'Access-Control-Allow-Origin': allow,
    ...(origins.length > 1 || origins[0] !== '*' ? { Vary: "'Origin'" } : {}),
    'Access-Control-Expose-Headers': "'Retry-After'",
  };
}

/** What the system function serves beside its code: the docs' browser assets and the OpenAPI document generated at synth. */
export function docsBundledFiles(config: StageConfig): BundledFile[] {
  return [
    ...Object.entries(DOCS_ASSETS).map(([name, asset]) => ({ source: `node_modules/${asset.source}`, target: `${DOCS_ASSETS_DIR}/${name}` })),
    { generator: API_DOCUMENT_GENERATOR, args: [config.appVersion], target: API_DOCUMENT_FILE },
  ];
}
