/**
 * Capabilities as data: what each deployed function does with AWS, named by the adapter code that
 * does it. The offline deploy check (test/deploy/iam-simulation.test.ts) simulates every SDK command
 * those adapters were recorded sending against the function's synthesized policies, so a
 * capability listed here without its grant — or a grant missing for a command an adapter starts
 * sending — fails `npm test` (docs/deploy.md#offline-deploy-check).
 *
 * The same declaration gives each function its settings: CDK emits the environment from it, and
 * the function's configuration (functions/root/config.ts) refuses to start without what its
 * capabilities require (docs/architecture.md#where-each-fact-lives). Pure data.
 */

/** Adapter code a capability runs: a module under functions/adapters (a trailing `*` matches a folder). */
export interface AdapterUse {
  readonly adapter: string;
  /** Only these functions/methods of the module (`Class.method`, as on a stack trace); default all. */
  readonly callers?: readonly string[];
  /** Only when the function's environment has this variable (e.g. the Bedrock engine's model). */
  readonly when?: string;
  /** Modules the folder pattern does not cover here. */
  readonly excluding?: readonly string[];
}

/**
 * A function's settings, by environment variable name. Which ones a function gets follows from its
 * capabilities (below): CDK emits exactly those (lib/constructs/function-access.ts) and the function's
 * configuration parser (functions/root/config.ts) refuses to start without the required ones.
 */
export const SETTINGS = [
  'TABLE_NAME',
  'JWKS_SECRET_ARN',
  'SIGNING_KEY_SECRET_ARN',
  'PLATFORM_ADMINS',
  'CORS_ORIGINS',
  'RATE_LIMIT_FREE',
  'RATE_LIMIT_ENTERPRISE',
  'RATE_LIMIT_ANONYMOUS',
  'RATE_LIMIT_ACCOUNT_FREE',
  'RATE_LIMIT_ACCOUNT_ENTERPRISE',
  'RATE_LIMIT_WINDOW_SECONDS',
  'AUTHORIZER_CACHE_SECONDS',
  'USAGE_PLAN_FREE_NAME',
  'USAGE_PLAN_ENTERPRISE_NAME',
  'PUBLIC_BASE_URL',
  'SECRETS_KMS_KEY_ID',
  'TASK_RUNNER_ARN',
  'STATE_MACHINE_PREFIX',
  'STATE_MACHINE_ARN_PREFIX',
  'STATE_MACHINE_ROLE_ARN',
  'STATE_MACHINE_LOG_GROUP_ARN',
  'SCHEDULE_GROUP_NAME',
  'SCHEDULER_ROLE_ARN',
  'SCHEDULED_RUN_ARN',
  'CHAT_ENGINE',
  'BEDROCK_MODEL_ID',
  'EVENT_BUS_NAME',
  'LIVE_CALLBACK_URL',
  'WEBHOOK_QUEUE_URL',
  'EMAIL_SENDER',
  'DATA_BUCKET',
  'DATA_TABLE_PREFIX',
] as const;
export type Setting = (typeof SETTINGS)[number];

export interface CapabilitySpec {
  /** The adapter code the capability runs (what the deploy check simulates against the function's policies). */
  readonly adapters: readonly AdapterUse[];
  /** Settings the capability cannot work without: a function that has it and lacks one fails at cold start. */
  readonly requires?: readonly Setting[];
  /** Settings it reads when set (the configuration's defaults apply otherwise). */
  readonly reads?: readonly Setting[];
}

const RATE_LIMITS = ['RATE_LIMIT_FREE', 'RATE_LIMIT_ENTERPRISE', 'RATE_LIMIT_ANONYMOUS', 'RATE_LIMIT_ACCOUNT_FREE', 'RATE_LIMIT_ACCOUNT_ENTERPRISE', 'RATE_LIMIT_WINDOW_SECONDS'] as const;
const MACHINES = ['TASK_RUNNER_ARN', 'STATE_MACHINE_ARN_PREFIX', 'STATE_MACHINE_ROLE_ARN', 'STATE_MACHINE_LOG_GROUP_ARN'] as const;
const SCHEDULES = ['SCHEDULE_GROUP_NAME', 'SCHEDULER_ROLE_ARN', 'SCHEDULED_RUN_ARN'] as const;
const USAGE_PLANS = ['USAGE_PLAN_FREE_NAME', 'USAGE_PLAN_ENTERPRISE_NAME'] as const;

/**
 * Each capability: the adapter code it runs, the settings it needs, and (by its name) the grant
 * CDK gives it (lib/constructs/function-access.ts has one grant per capability, typed over this
 * table, so a new capability does not synthesize until someone writes its grant).
 */
export const CAPABILITIES = {
  /** The HTTP pipeline (functions/http): verifies whatever credential a route asks for, CORS, per-principal rate limits. */
  'api:serve': { adapters: [], requires: ['JWKS_SECRET_ARN'], reads: ['CORS_ORIGINS', ...RATE_LIMITS] },
  /** The gateway authorizer's cache and the anonymous budget it charges refused callers to. */
  'api:authorize': { adapters: [], reads: ['AUTHORIZER_CACHE_SECONDS', 'RATE_LIMIT_ANONYMOUS', 'RATE_LIMIT_WINDOW_SECONDS'] },
  /** Items, queries on the GSIs, transactions: every DynamoDB adapter but the health check's. */
  'table:read-write': { adapters: [{ adapter: 'functions/adapters/dynamodb/*', excluding: ['functions/adapters/dynamodb/table-probe.ts'] }], requires: ['TABLE_NAME'] },
  /** Point reads of sessions, API keys, OAuth clients and accounts: the gateway authorizer. */
  'table:get': {
    adapters: [
      {
        adapter: 'functions/adapters/dynamodb/*',
        callers: ['DynamoSessionStore.get', 'DynamoApiKeyRepository.get', 'DynamoIdentityRepository.getAccount', 'DynamoIdentityRepository.get', 'DynamoOAuthClientRepository.get'],
      },
    ],
    requires: ['TABLE_NAME'],
  },
  /** The anonymous rate-limit windows of refused callers (UpdateItem on RATELIMIT#ip# keys): the gateway authorizer. */
  'table:rate-limit-anonymous': { adapters: [{ adapter: 'functions/adapters/dynamodb/rate-limiter.ts', callers: ['DynamoRateLimiter.increment'] }], requires: ['TABLE_NAME'] },
  /** The change stream's counter moves: UpdateItem (an ADD to an account's COUNTERS item), no reads. The event-stream function. */
  'table:count-changes': { adapters: [{ adapter: 'functions/adapters/dynamodb/run-task-counters.ts', callers: ['StreamCounters.add'] }], requires: ['TABLE_NAME'] },
  /** The health check's DescribeTable. */
  'table:describe': { adapters: [{ adapter: 'functions/adapters/dynamodb/table-probe.ts' }], requires: ['TABLE_NAME'] },
  'tokens:verify': { adapters: [{ adapter: 'functions/adapters/aws/secrets-manager-signing-keys.ts' }], requires: ['JWKS_SECRET_ARN'] },
  // Platform admins get their role when a token is issued (AuthService), so the issuers read the list.
  'tokens:issue': { adapters: [{ adapter: 'functions/adapters/aws/secrets-manager-signing-keys.ts', when: 'SIGNING_KEY_SECRET_ARN' }], requires: ['SIGNING_KEY_SECRET_ARN'], reads: ['PLATFORM_ADMINS'] },
  'signing-keys:rotate': { adapters: [{ adapter: 'functions/adapters/aws/signing-key-rotation.ts' }], requires: ['JWKS_SECRET_ARN'] },
  'gateway-keys:create': { adapters: [{ adapter: 'functions/adapters/aws/api-gateway-keys.ts', callers: ['ApiGatewayKeys.provision', 'ApiGatewayKeys.remove', 'resolveUsagePlans'] }], requires: USAGE_PLANS },
  'gateway-keys:manage': { adapters: [{ adapter: 'functions/adapters/aws/api-gateway-keys.ts' }], requires: USAGE_PLANS },
  'secrets:manage': {
    adapters: [
      {
        adapter: 'functions/adapters/aws/secrets-manager-secret-store.ts',
        callers: ['SecretsManagerSecretStore.create', 'SecretsManagerSecretStore.createSecret', 'SecretsManagerSecretStore.adopt', 'SecretsManagerSecretStore.replace', 'SecretsManagerSecretStore.delete', 'SecretsManagerSecretStore.deleteSecret', 'SecretsManagerSecretStore.discard', 'SecretsManagerSecretStore.deleteAll'],
      },
    ],
    requires: ['SECRETS_KMS_KEY_ID'],
  },
  'secrets:read': { adapters: [{ adapter: 'functions/adapters/aws/secrets-manager-secret-store.ts', callers: ['SecretsManagerSecretStore.read'] }] },
  'machines:provision': { adapters: [{ adapter: 'functions/adapters/aws/step-functions-provisioner.ts' }], requires: MACHINES, reads: ['STATE_MACHINE_PREFIX'] },
  'machines:delete': { adapters: [{ adapter: 'functions/adapters/aws/account-machines.ts' }] },
  'runs:start': { adapters: [{ adapter: 'functions/adapters/aws/step-functions-engine.ts', callers: ['StepFunctionsEngine.start'] }] },
  'runs:control': { adapters: [{ adapter: 'functions/adapters/aws/step-functions-engine.ts' }] },
  'schedules:manage': { adapters: [{ adapter: 'functions/adapters/aws/eventbridge-schedules.ts' }], requires: SCHEDULES },
  'schedules:delete': { adapters: [{ adapter: 'functions/adapters/aws/eventbridge-schedules.ts', callers: ['EventBridgeSchedules.remove'] }], requires: SCHEDULES },
  /** Webhook trigger URLs shown in answers point at the API's public address (the request's own host without it). */
  'hooks:show-urls': { adapters: [], reads: ['PUBLIC_BASE_URL'] },
  'events:publish': { adapters: [{ adapter: 'functions/adapters/aws/eventbridge-publisher.ts' }], requires: ['EVENT_BUS_NAME'] },
  'webhooks:enqueue': { adapters: [{ adapter: 'functions/adapters/aws/sqs-delivery-queue.ts' }], requires: ['WEBHOOK_QUEUE_URL'] },
  'live:push': { adapters: [{ adapter: 'functions/adapters/aws/api-gateway-live-pusher.ts' }], requires: ['LIVE_CALLBACK_URL'] },
  /** The chat engine (rules by default; Bedrock with BEDROCK_MODEL_ID, which the configuration then requires). */
  'chat:model': { adapters: [{ adapter: 'functions/adapters/aws/bedrock-chat-engine.ts', when: 'BEDROCK_MODEL_ID' }], reads: ['CHAT_ENGINE', 'BEDROCK_MODEL_ID'] },
  'lambda-nodes:invoke': { adapters: [{ adapter: 'functions/adapters/aws/lambda-invoker.ts' }] },
  /** A finished generic/ci job's build log (GetLogEvents on the jobs project's log group): its stdout and commit. */
  'jobs:read-logs': { adapters: [{ adapter: 'functions/adapters/aws/cloudwatch-job-logs.ts' }] },
  /** send_email through SES v2 from the stage's sender identity (only when the stage configures one: -c emailSender). */
  'email:send': { adapters: [{ adapter: 'functions/adapters/aws/ses-mail-sender.ts', when: 'EMAIL_SENDER' }], reads: ['EMAIL_SENDER'] },
  /** etl and fetch_data on AWS: objects under etl/ of the stage's data bucket, and accounts' own DynamoDB tables named DATA_TABLE_PREFIX<account>-… (docs/deploy.md, "etl placement"). */
  'data:move': { adapters: [{ adapter: 'functions/adapters/etl/*' }], requires: ['DATA_BUCKET', 'DATA_TABLE_PREFIX'] },
  /** SendTaskSuccess to the gated layout's gates (statemachines/README.md, "Gated layout"). */
  'runs:open-gates': { adapters: [{ adapter: 'functions/adapters/aws/step-functions-task-tokens.ts', callers: ['StepFunctionsTaskTokens.succeed'] }] },
  /** SendTaskSuccess/SendTaskFailure on a waiting approval's token once someone decides it (docs/api.md#approvals). */
  'runs:decide-approvals': { adapters: [{ adapter: 'functions/adapters/aws/step-functions-task-tokens.ts', callers: ['StepFunctionsTaskTokens.succeed', 'StepFunctionsTaskTokens.fail'] }] },
} as const satisfies Record<string, CapabilitySpec>;

export type Capability = keyof typeof CAPABILITIES;

/**
 * Adapter code no deployed function runs: the operator's stage cleanup (scripts/cleanup-stage.ts),
 * which uses the operator's credentials. The deploy check requires no function to claim it.
 */
export const OPERATOR_ADAPTERS: readonly string[] = ['functions/adapters/aws/stage-cleanup.ts'];

const API = ['api:serve', 'table:read-write', 'tokens:verify'] as const;

/**
 * Every deployed function by its construct path inside the stage (`<stack>/<path>`), with what it
 * does. The deploy check fails on a function missing here or an entry for no function.
 */
export const FUNCTION_CAPABILITIES: Readonly<Record<string, readonly Capability[]>> = {
  'Api/AuthFunction': [...API, 'tokens:issue', 'gateway-keys:create'],
  'Api/TasksFunction': API,
  'Api/SystemFunction': ['api:serve', 'table:describe'],
  'Api/UsersFunction': API,
  'Api/AccountsFunction': [...API, 'gateway-keys:manage', 'secrets:manage', 'machines:delete'],
  'Api/Api-keysFunction': API,
  'Api/OauthFunction': [...API, 'tokens:issue'],
  // `run: true` on create starts the first run; saving a schedule-triggered workflow keeps its schedule.
  'Api/WorkflowsFunction': [...API, 'machines:provision', 'runs:start', 'schedules:manage', 'hooks:show-urls'],
  'Api/ExecutionsFunction': [...API, 'runs:control', 'runs:decide-approvals'],
  // "run the nightly export" starts a run (functions/core/chat/workflow-runner.ts).
  'Api/ChatFunction': [...API, 'runs:start', 'chat:model'],
  'Api/InsightFunction': API,
  'Api/TriggersFunction': [...API, 'runs:start', 'hooks:show-urls'],
  'Api/WebhooksFunction': [...API, 'webhooks:enqueue'],
  'Api/AuthorizerFunction': ['api:authorize', 'table:get', 'table:rate-limit-anonymous', 'tokens:verify'],
  'Data/SigningKeys/Rotation': ['signing-keys:rotate'],
  'Workflow/TaskRunner': ['table:read-write', 'secrets:read', 'lambda-nodes:invoke', 'jobs:read-logs', 'runs:open-gates', 'email:send', 'data:move'],
  'Workflow/ExecutionEvents': ['table:read-write'],
  'Events/ChangeEvents/EventStream': ['events:publish', 'table:count-changes'],
  'Events/Live/Connections': ['table:read-write', 'tokens:verify'],
  'Events/Live/Notifier': ['table:read-write', 'live:push'],
  'Events/Triggers/ScheduledRun': ['table:read-write', 'runs:start', 'schedules:delete'],
  'Events/Triggers/TriggerDispatcher': ['table:read-write', 'runs:start'],
  'Events/Webhooks/Dispatcher': ['table:read-write', 'webhooks:enqueue'],
};
