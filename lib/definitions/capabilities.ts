/**
 * Capabilities as data: what each deployed function does with AWS, named by the adapter code that
 * does it. The offline deploy check (test/deploy/iam-simulation.test.ts) simulates every SDK command
 * those adapters were recorded sending against the function's synthesized policies, so a
 * capability listed here without its grant — or a grant missing for a command an adapter starts
 * sending — fails `npm test` (docs/deploy.md#offline-deploy-check).
 *
 * Today CDK still grants by hand (lib/api-stack.ts FUNCTION_ACCESS and the constructs); this table
 * is the seam for deriving environment and grants from one declaration. Pure data.
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

export const CAPABILITIES = {
  /** Items, queries on the GSIs, transactions: every DynamoDB adapter but the health check's. */
  'table:read-write': [{ adapter: 'functions/adapters/dynamodb/*', excluding: ['functions/adapters/dynamodb/table-probe.ts'] }],
  /** Point reads of sessions, API keys, OAuth clients and accounts: the gateway authorizer. */
  'table:get': [
    {
      adapter: 'functions/adapters/dynamodb/*',
      callers: ['DynamoSessionStore.get', 'DynamoApiKeyRepository.get', 'DynamoIdentityRepository.getAccount', 'DynamoIdentityRepository.get', 'DynamoOAuthClientRepository.get'],
    },
  ],
  /** The anonymous rate-limit windows of refused callers (UpdateItem on RATELIMIT#ip# keys): the gateway authorizer. */
  'table:rate-limit-anonymous': [{ adapter: 'functions/adapters/dynamodb/rate-limiter.ts', callers: ['DynamoRateLimiter.increment'] }],
  /** The health check's DescribeTable. */
  'table:describe': [{ adapter: 'functions/adapters/dynamodb/table-probe.ts' }],
  'tokens:verify': [{ adapter: 'functions/adapters/aws/secrets-manager-signing-keys.ts' }],
  'tokens:issue': [{ adapter: 'functions/adapters/aws/secrets-manager-signing-keys.ts', when: 'SIGNING_KEY_SECRET_ARN' }],
  'signing-keys:rotate': [{ adapter: 'functions/adapters/aws/signing-key-rotation.ts' }],
  'gateway-keys:create': [{ adapter: 'functions/adapters/aws/api-gateway-keys.ts', callers: ['ApiGatewayKeys.provision', 'ApiGatewayKeys.remove', 'resolveUsagePlans'] }],
  'gateway-keys:manage': [{ adapter: 'functions/adapters/aws/api-gateway-keys.ts' }],
  'secrets:manage': [
    {
      adapter: 'functions/adapters/aws/secrets-manager-secret-store.ts',
      callers: ['SecretsManagerSecretStore.create', 'SecretsManagerSecretStore.createSecret', 'SecretsManagerSecretStore.adopt', 'SecretsManagerSecretStore.replace', 'SecretsManagerSecretStore.delete', 'SecretsManagerSecretStore.deleteSecret', 'SecretsManagerSecretStore.discard', 'SecretsManagerSecretStore.deleteAll'],
    },
  ],
  'secrets:read': [{ adapter: 'functions/adapters/aws/secrets-manager-secret-store.ts', callers: ['SecretsManagerSecretStore.read'] }],
  'machines:provision': [{ adapter: 'functions/adapters/aws/step-functions-provisioner.ts' }],
  'machines:delete': [{ adapter: 'functions/adapters/aws/account-machines.ts' }],
  'runs:start': [{ adapter: 'functions/adapters/aws/step-functions-engine.ts', callers: ['StepFunctionsEngine.start'] }],
  'runs:control': [{ adapter: 'functions/adapters/aws/step-functions-engine.ts' }],
  /** SendTaskSuccess to the gated layout's gates (statemachines/README.md, "Gated layout"). */
  'runs:open-gates': [{ adapter: 'functions/adapters/aws/step-functions-task-tokens.ts' }],
  'schedules:manage': [{ adapter: 'functions/adapters/aws/eventbridge-schedules.ts' }],
  'schedules:delete': [{ adapter: 'functions/adapters/aws/eventbridge-schedules.ts', callers: ['EventBridgeSchedules.remove'] }],
  'events:publish': [{ adapter: 'functions/adapters/aws/eventbridge-publisher.ts' }],
  'webhooks:enqueue': [{ adapter: 'functions/adapters/aws/sqs-delivery-queue.ts' }],
  'live:push': [{ adapter: 'functions/adapters/aws/api-gateway-live-pusher.ts' }],
  'chat:model': [{ adapter: 'functions/adapters/aws/bedrock-chat-engine.ts', when: 'BEDROCK_MODEL_ID' }],
  'lambda-nodes:invoke': [{ adapter: 'functions/adapters/aws/lambda-invoker.ts' }],
  /** A finished generic/ci job's build log (GetLogEvents on the jobs project's log group): its stdout and commit. */
  'jobs:read-logs': [{ adapter: 'functions/adapters/aws/cloudwatch-job-logs.ts' }],
} as const satisfies Record<string, readonly AdapterUse[]>;

export type Capability = keyof typeof CAPABILITIES;

/**
 * Adapter code no deployed function runs: the operator's stage cleanup (scripts/cleanup-stage.ts),
 * which uses the operator's credentials. The deploy check requires no function to claim it.
 */
export const OPERATOR_ADAPTERS: readonly string[] = ['functions/adapters/aws/stage-cleanup.ts'];

const API = ['table:read-write', 'tokens:verify'] as const;

/**
 * Every deployed function by its construct path inside the stage (`<stack>/<path>`), with what it
 * does. The deploy check fails on a function missing here or an entry for no function.
 */
export const FUNCTION_CAPABILITIES: Readonly<Record<string, readonly Capability[]>> = {
  'Api/AuthFunction': [...API, 'tokens:issue', 'gateway-keys:create'],
  'Api/TasksFunction': API,
  'Api/SystemFunction': ['table:describe'],
  'Api/UsersFunction': API,
  'Api/AccountsFunction': [...API, 'gateway-keys:manage', 'secrets:manage', 'machines:delete'],
  'Api/Api-keysFunction': API,
  'Api/OauthFunction': [...API, 'tokens:issue'],
  // `run: true` on create starts the first run; saving a schedule-triggered workflow keeps its schedule.
  'Api/WorkflowsFunction': [...API, 'machines:provision', 'runs:start', 'schedules:manage'],
  'Api/ExecutionsFunction': [...API, 'runs:control'],
  // "run the nightly export" starts a run (functions/core/chat/workflow-runner.ts).
  'Api/ChatFunction': [...API, 'runs:start', 'chat:model'],
  'Api/InsightFunction': API,
  'Api/TriggersFunction': [...API, 'runs:start'],
  'Api/WebhooksFunction': [...API, 'webhooks:enqueue'],
  'Api/AuthorizerFunction': ['table:get', 'table:rate-limit-anonymous', 'tokens:verify'],
  'Data/SigningKeys/Rotation': ['signing-keys:rotate'],
  'Workflow/TaskRunner': ['table:read-write', 'secrets:read', 'lambda-nodes:invoke', 'jobs:read-logs', 'runs:open-gates'],
  'Workflow/ExecutionEvents': ['table:read-write'],
  'Events/ChangeEvents/EventStream': ['events:publish'],
  'Events/Live/Connections': ['table:read-write', 'tokens:verify'],
  'Events/Live/Notifier': ['table:read-write', 'live:push'],
  'Events/Triggers/ScheduledRun': ['table:read-write', 'runs:start', 'schedules:delete'],
  'Events/Triggers/TriggerDispatcher': ['table:read-write', 'runs:start'],
  'Events/Webhooks/Dispatcher': ['table:read-write', 'webhooks:enqueue'],
};
