import { ArnFormat, type CfnElement, CfnOutput, CrossStackReferences, Duration, ReferenceStrength, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import {
  AccessLogFormat,
  ApiKeySourceType,
  AuthorizationType,
  type CfnMethod,
  EndpointType,
  LambdaIntegration,
  LogGroupLogDestination,
  MethodLoggingLevel,
  RequestAuthorizer,
  ResponseType,
  RestApi,
  type UsagePlan,
} from 'aws-cdk-lib/aws-apigateway';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { type ILogGroup, LogGroup } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { LOG_DELIVERY_ACTIONS } from './constructs/step-functions-logging.ts';
import { StepwiseFunction } from './constructs/stepwise-function.ts';
import { webhookQueueAddress } from './constructs/webhook-delivery.ts';
import { grantScheduleManagement, scheduleTriggerEnvironment } from './constructs/workflow-triggers.ts';
import { anonymousLimitedHeaders, anonymousLimitedMessage, REFUSAL_CONTEXT_HEADERS, REFUSAL_MESSAGE } from './definitions/gateway-refusals.ts';
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
  /** Creates, moves or deletes accounts, and with them their API Gateway keys in the usage plans. */
  readonly managesGatewayKeys?: boolean;
  /** Creates, publishes and deletes the generated state machines (the workflows API). */
  readonly managesStateMachines?: boolean;
  /** Writes account secrets to Secrets Manager (never reads values back). */
  readonly managesSecrets?: boolean;
  /** Deletes an account's workflow state machines when the account is deleted. */
  readonly deletesStateMachines?: boolean;
  /** Starts, stops and redrives executions of the stage's machines. */
  readonly runsStateMachines?: boolean;
  /** Answers chat messages: gets CHAT_ENGINE and, with the Bedrock engine, its model and the right to invoke only that model. */
  readonly answersChat?: boolean;
  /** Keeps schedule triggers in EventBridge Scheduler (lib/constructs/workflow-triggers.ts): the stage's group only. */
  readonly managesSchedules?: boolean;
  /** Shows webhook trigger URLs, so it gets PUBLIC_BASE_URL (the API's own address). */
  readonly showsHookUrls?: boolean;
  /** Enqueues webhook replays and test pings on the delivery queue (lib/constructs/webhook-delivery.ts), found by its fixed name. */
  readonly enqueuesWebhookDeliveries?: boolean;
}

/** What the workflows function needs from the workflow stack (lib/workflow-stack.ts). */
export interface StateMachineSupport {
  readonly machinePrefix: string;
  readonly machineArnPattern: string;
  readonly taskRunnerArn: string;
  readonly machineRole: iam.IRole;
  readonly machineLogGroup: ILogGroup;
}

// A Record over Resource: adding a resource to RESOURCES fails type-checking here until someone
// decides what that function may touch.
export const FUNCTION_ACCESS: Readonly<Record<Resource, FunctionAccess>> = {
  // Registration creates an account, and with it the account's usage-plan key.
  auth: { table: 'read-write', readsJwks: true, readsSigningKey: true, managesGatewayKeys: true },
  tasks: { table: 'read-write', readsJwks: true, readsSigningKey: false },
  // Every route of `system` is public (the pipeline verifies no token there) and its health
  // check is DescribeTable, so it gets neither item access nor any secret.
  system: { table: 'describe', readsJwks: false, readsSigningKey: false },
  users: { table: 'read-write', readsJwks: true, readsSigningKey: false },
  accounts: { table: 'read-write', readsJwks: true, readsSigningKey: false, managesGatewayKeys: true, managesSecrets: true, deletesStateMachines: true },
  'api-keys': { table: 'read-write', readsJwks: true, readsSigningKey: false },
  // Issues tokens (client credentials, codes, jwt-bearer) and publishes the JWKS.
  oauth: { table: 'read-write', readsJwks: true, readsSigningKey: true },
  // `run: true` on create starts the first run.
  workflows: { table: 'read-write', readsJwks: true, readsSigningKey: false, managesStateMachines: true, runsStateMachines: true, managesSchedules: true, showsHookUrls: true },
  // Starts, stops and redrives executions of this stage's machines.
  executions: { table: 'read-write', readsJwks: true, readsSigningKey: false, runsStateMachines: true },
  // Acts on tasks through the task service and keeps chat sessions in the table.
  chat: { table: 'read-write', readsJwks: true, readsSigningKey: false, answersChat: true },
  // Its own work is reads (COUNTERS, rollups, the workflow), but grantTableAccess has no read-only
  // level and the shared pipeline writes on every request (rate-limit counter, API key last_used_at).
  insight: { table: 'read-write', readsJwks: true, readsSigningKey: false },
  // Webhook hooks start runs; token rotation shows the new URL; the processes view reads workflows and run stats.
  triggers: { table: 'read-write', readsJwks: true, readsSigningKey: false, runsStateMachines: true, showsHookUrls: true },
  // Subscriptions and the delivery log live in the table; replays and test pings go to the delivery queue.
  webhooks: { table: 'read-write', readsJwks: true, readsSigningKey: false, enqueuesWebhookDeliveries: true },
};

export interface ApiStackProps extends StackProps {
  readonly config: StageConfig;
  readonly table: ITable;
  readonly jwksSecret: ISecret;
  readonly signingKeySecret: ISecret;
  readonly stateMachines: StateMachineSupport;
  /** KMS key for account secrets; the function that manages secrets encrypts with it. */
  readonly secretsKey: IKey;
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
      // Access and execution logs to CloudWatch need the account-level API Gateway role.
      cloudWatchRole: true,
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
    this.addRoutes();
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
      const fn = new StepwiseFunction(this, functionId(resource), {
        config,
        entry: `functions/${resource}/handler.ts`,
        description: `Stepwise ${config.stage} API: ${resource}`,
        sharedEnvironment,
        environment: {
          ...(access.readsSigningKey ? { SIGNING_KEY_SECRET_ARN: signingKeySecret.secretArn } : {}),
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
                STATE_MACHINE_ROLE_ARN: props.stateMachines.machineRole.roleArn,
                STATE_MACHINE_LOG_GROUP_ARN: props.stateMachines.machineLogGroup.logGroupArn,
              }
            : {}),
        },
      });
      if (access.managesStateMachines) grantStateMachineManagement(fn, props.stateMachines);
      if (access.runsStateMachines) grantStateMachineRuns(fn, props.stateMachines);
      if (access.managesSchedules) grantScheduleManagement(fn, config);
      // SendMessage only, on exactly the delivery queue (SQS-managed encryption: no key to grant).
      if (access.enqueuesWebhookDeliveries) iam.Grant.addToPrincipal({ grantee: fn, actions: ['sqs:SendMessage'], resourceArns: [webhookQueueAddress(this, config).arn] });
      if (access.managesSecrets) grantSecretManagement(fn, config, props.secretsKey);
      if (access.answersChat && config.chat.engine === 'bedrock' && config.chat.bedrockModelId) grantModelInvocation(fn, config.chat.bedrockModelId);
      if (access.deletesStateMachines) {
        const policy = new iam.Policy(fn, 'AccountMachines', {
          statements: [new iam.PolicyStatement({ actions: ['states:DeleteStateMachine'], resources: [props.stateMachines.machineArnPattern] })],
        });
        fn.function.role?.attachInlinePolicy(policy);
        Validations.of(policy).acknowledge({
          id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:stateMachine:${props.stateMachines.machinePrefix}-*]`,
          reason: 'Deleting an account deletes its workflows’ machines, created at run time as `stepwise-<stage>-<workflow id>`; only DeleteStateMachine, only on this stage’s machines.',
        });
      }
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
        // Public routes (register, login, health, docs, token) stay open to anyone.
        ...(route.scope === null
          ? {}
          : { authorizer: this.authorizer, authorizationType: AuthorizationType.CUSTOM, apiKeyRequired: true }),
      });
    }
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
   * error shape, so clients never need a second parser.
   */
  private addErrorResponses(config: StageConfig): void {
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
          'X-Content-Type-Options': "'nosniff'",
          'Strict-Transport-Security': "'max-age=15552000; includeSubDomains; preload'",
          ...headers,
        },
        templates: {
          'application/json': `{"error":{"code":"${code}","message":${message},"request_id":"$context.requestId"${retry}}}`,
        },
      });
    }
  }

  private acknowledgeNagFindings(): void {
    const api = Validations.of(this.api);
    api.acknowledge({
      id: 'AwsSolutions-APIG4',
      reason:
        'Every route with a scope in lib/definitions/routes.ts has the Lambda REQUEST authorizer (and the pipeline verifies again, with the route scope); the methods flagged are the public ones by design (register, login, refresh, OAuth token, JWKS, health, OpenAPI, docs) and the CORS preflights, which browsers send without credentials.',
    });
    api.acknowledge({
      id: 'AwsSolutions-COG4',
      reason:
        'Stepwise issues its own ES256 JWTs (password login, API keys, OAuth client credentials) rather than using Cognito, so the gateway-level check is a Lambda REQUEST authorizer that runs the same verifier as the function pipeline and accepts either Authorization or X-API-Key.',
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

/**
 * The workflows function manages only this stage's machines (`stepwise-<stage>-*`, with their
 * versions and aliases) and may hand them only the machine role, only to Step Functions.
 */
/** Start runs on this stage's machines (their `live` aliases) and stop or redrive their executions. */
function grantStateMachineRuns(fn: StepwiseFunction, support: StateMachineSupport): void {
  const stack = Stack.of(fn);
  const executions = stack.formatArn({ service: 'states', resource: 'execution', resourceName: `${support.machinePrefix}-*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
  const policy = new iam.Policy(fn, 'StateMachineRuns', {
    statements: [
      new iam.PolicyStatement({ actions: ['states:StartExecution'], resources: [support.machineArnPattern, `${support.machineArnPattern}:*`] }),
      new iam.PolicyStatement({ actions: ['states:StopExecution', 'states:RedriveExecution', 'states:DescribeExecution'], resources: [`${executions}:*`] }),
    ],
  });
  fn.function.role?.attachInlinePolicy(policy);
  const arnOf = (resource: string) => `Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:${resource}`;
  Validations.of(policy).acknowledge({
    id: `AwsSolutions-IAM5[${arnOf(`stateMachine:${support.machinePrefix}-*`)}]`,
    reason: 'Machines are created at run time, one per workflow (`stepwise-<stage>-<workflow id>`); runs may start only on this stage’s generated machines.',
  });
  Validations.of(policy).acknowledge({
    id: `AwsSolutions-IAM5[${arnOf(`stateMachine:${support.machinePrefix}-*`)}:*]`,
    reason: 'Runs start on each machine’s `live` alias (`<machine>:live`); the suffix covers only aliases and versions of this stage’s machines.',
  });
  Validations.of(policy).acknowledge({
    id: `AwsSolutions-IAM5[${arnOf(`execution:${support.machinePrefix}-*`)}:*]`,
    reason: 'Execution names are run-time ids (`<execution id>-<account id>`); cancel and retry may stop, redrive or describe only executions of this stage’s machines.',
  });
}

function grantStateMachineManagement(fn: StepwiseFunction, support: StateMachineSupport): void {
  const machines = [support.machineArnPattern, `${support.machineArnPattern}:*`];
  const policy = new iam.Policy(fn, 'StateMachines', {
    statements: [
      new iam.PolicyStatement({
        actions: [
          'states:CreateStateMachine',
          'states:UpdateStateMachine',
          'states:DeleteStateMachine',
          'states:DescribeStateMachine',
          'states:TagResource',
          'states:CreateStateMachineAlias',
          'states:UpdateStateMachineAlias',
          'states:DescribeStateMachineAlias',
        ],
        resources: machines,
      }),
      new iam.PolicyStatement({
        actions: ['iam:PassRole'],
        resources: [support.machineRole.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'states.amazonaws.com' } },
      }),
      // CreateStateMachine with logging sets up vended log delivery as the caller; none of these
      // actions supports resource-level permissions.
      new iam.PolicyStatement({ actions: [...LOG_DELIVERY_ACTIONS], resources: ['*'] }),
    ],
  });
  fn.function.role?.attachInlinePolicy(policy);
  const arnOf = (resource: string) => `Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:${resource}`;
  Validations.of(policy).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason: 'Only CloudWatch Logs vended-delivery actions use "*": CreateStateMachine with logging creates the log delivery as the caller, and these actions support no resource-level permissions.',
  });
  Validations.of(policy).acknowledge({
    id: `AwsSolutions-IAM5[${arnOf(`stateMachine:${support.machinePrefix}-*`)}]`,
    reason: 'Workflow machines are created at run time, one per workflow, named `stepwise-<stage>-<workflow id>`; the pattern admits exactly this stage’s generated machines and nothing else.',
  });
  Validations.of(policy).acknowledge({
    id: `AwsSolutions-IAM5[${arnOf(`stateMachine:${support.machinePrefix}-*`)}:*]`,
    reason: 'Versions and the `live` alias of this stage’s generated machines have ARNs `<machine>:<version|alias>`; publishing and moving the alias needs them.',
  });
}

/**
 * Account secrets live in Secrets Manager as `stepwise/<stage>/<account>/<KEY>` (docs/secrets.md).
 * The accounts function may create, replace and delete them, only under this stage's path, only
 * encrypted with the stage's key and tagged with account and stage. It never reads a value.
 */
function grantSecretManagement(fn: StepwiseFunction, config: StageConfig, key: IKey): void {
  const stack = Stack.of(fn);
  const secrets = stack.formatArn({ service: 'secretsmanager', resource: 'secret', arnFormat: ArnFormat.COLON_RESOURCE_NAME, resourceName: `stepwise/${config.stage}/*` });
  const tagged = {
    StringEquals: { 'secretsmanager:KmsKeyArn': key.keyArn, 'aws:RequestTag/stepwise:stage': config.stage },
    'ForAllValues:StringEquals': { 'aws:TagKeys': ['stepwise:account', 'stepwise:stage'] },
  };
  const policy = new iam.Policy(fn, 'AccountSecrets', {
    statements: [
      new iam.PolicyStatement({ actions: ['secretsmanager:CreateSecret'], resources: [secrets], conditions: tagged }),
      new iam.PolicyStatement({
        actions: ['secretsmanager:TagResource'],
        resources: [secrets],
        conditions: { StringEquals: { 'aws:RequestTag/stepwise:stage': config.stage }, 'ForAllValues:StringEquals': tagged['ForAllValues:StringEquals'] },
      }),
      new iam.PolicyStatement({ actions: ['secretsmanager:PutSecretValue', 'secretsmanager:DeleteSecret', 'secretsmanager:DescribeSecret'], resources: [secrets] }),
      // Account deletion sweeps values whose metadata was lost; ListSecrets has no resource-level permissions.
      new iam.PolicyStatement({ actions: ['secretsmanager:ListSecrets'], resources: ['*'] }),
      new iam.PolicyStatement({
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [key.keyArn],
        conditions: {
          StringEquals: { 'kms:ViaService': `secretsmanager.${stack.region}.amazonaws.com` },
          StringLike: { 'kms:EncryptionContext:SecretARN': secrets },
        },
      }),
    ],
  });
  fn.function.role?.attachInlinePolicy(policy);
  Validations.of(policy).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason: 'Only secretsmanager:ListSecrets uses "*": it supports no resource-level permissions, and account deletion uses it (filtered by name prefix) to remove values whose metadata was lost.',
  });
  Validations.of(policy).acknowledge({
    id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:stepwise/${config.stage}/*]`,
    reason: 'Account secrets are created at run time, one per key, named `stepwise/<stage>/<account>/<KEY>`; the pattern admits only this stage’s secrets, creation additionally requires the stage’s KMS key and tags.',
  });
}

/**
 * The Bedrock chat engine calls Converse, which is authorised as bedrock:InvokeModel on the
 * foundation model: exactly the configured one, in this stack's region (foundation-model ARNs have
 * no account).
 */
function grantModelInvocation(fn: StepwiseFunction, modelId: string): void {
  const model = Stack.of(fn).formatArn({ service: 'bedrock', account: '', resource: 'foundation-model', resourceName: modelId, arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
  const policy = new iam.Policy(fn, 'ChatModel', { statements: [new iam.PolicyStatement({ actions: ['bedrock:InvokeModel'], resources: [model] })] });
  fn.function.role?.attachInlinePolicy(policy);
}
