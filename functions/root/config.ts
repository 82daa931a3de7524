import * as z from 'zod';
import { CAPABILITIES, type Capability, type CapabilitySpec } from '../../lib/definitions/capabilities.ts';
import type { RateLimitSettings } from '../core/rate-limit/policy.ts';

const perWindow = (fallback: number) => z.coerce.number().int().min(1).max(1_000_000).default(fallback);

/**
 * Runtime configuration, parsed once at cold start (functions/root/aws.ts on Lambda, the local
 * server for local mode). A bad value, or a setting one of the function's capabilities requires
 * (lib/definitions/capabilities.ts) that is missing, stops the function before it serves a
 * request instead of failing on the first call that needs it.
 */
const ConfigSchema = z
  .object({
    STEPWISE_STAGE: z.string().min(1).default('local'),
    APP_VERSION: z.string().min(1).default('0.0.0'),
    AWS_REGION: z.string().min(1).default('us-east-1'),
    TABLE_NAME: z.string().min(1).optional(),
    DYNAMODB_ENDPOINT: z.url().optional(),
    /** Public verification keys: required by every function that verifies credentials (capability tokens:verify). */
    JWKS_SECRET_ARN: z.string().min(1).optional(),
    SIGNING_KEY_SECRET_ARN: z.string().min(1).optional(),
    STEPWISE_DATA_DIR: z.string().min(1).default('.stepwise'),
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
    CORS_ORIGINS: z.string().default('*'),
    /** Requests per window (docs/api.md#rate-limits): per credential by plan, and per source address when unauthenticated. */
    RATE_LIMIT_FREE: perWindow(100),
    RATE_LIMIT_ENTERPRISE: perWindow(1000),
    RATE_LIMIT_ANONYMOUS: perWindow(20),
    /** Per account over all its credentials, by plan (docs/api.md#rate-limits). */
    RATE_LIMIT_ACCOUNT_FREE: perWindow(500),
    RATE_LIMIT_ACCOUNT_ENTERPRISE: perWindow(5000),
    RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
    /** Comma-separated usernames who act as platform admins (the stage operators). */
    PLATFORM_ADMINS: z.string().default(''),
    /**
     * The usage plan of each tier, by name (ids would make a CloudFormation cycle, see
     * adapters/aws/api-gateway-keys.ts). Needed on AWS by the functions that create accounts.
     */
    USAGE_PLAN_FREE_NAME: z.string().min(1).optional(),
    USAGE_PLAN_ENTERPRISE_NAME: z.string().min(1).optional(),
    /** How long the gateway authorizer remembers a verified credential (the pipeline re-verifies every request). */
    AUTHORIZER_CACHE_SECONDS: z.coerce.number().int().min(0).max(300).default(60),
    /** The API's public base URL (local mode sets it): OAuth audiences, webhook URLs. */
    PUBLIC_BASE_URL: z.url().optional(),
    /** KMS key (ARN) that encrypts account secrets in Secrets Manager. */
    SECRETS_KMS_KEY_ID: z.string().min(1).optional(),
    /** Workflows: the task runner every Task state invokes, and where generated machines live. */
    TASK_RUNNER_ARN: z.string().min(1).optional(),
    STATE_MACHINE_PREFIX: z.string().regex(/^[A-Za-z0-9-]{1,40}$/).optional(),
    /** `arn:<partition>:states:<region>:<account>:stateMachine:<prefix>-`: a workflow's machine ARN is this plus its id (subworkflows). */
    STATE_MACHINE_ARN_PREFIX: z.string().regex(/^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:[A-Za-z0-9-]{1,40}-$/).optional(),
    STATE_MACHINE_ROLE_ARN: z.string().min(1).optional(),
    STATE_MACHINE_LOG_GROUP_ARN: z.string().min(1).optional(),
    /** Schedule triggers on AWS: the stage's EventBridge Scheduler group, the role it invokes with, and its target (the scheduled-run Lambda). */
    SCHEDULE_GROUP_NAME: z.string().min(1).max(64).optional(),
    SCHEDULER_ROLE_ARN: z.string().min(1).optional(),
    SCHEDULED_RUN_ARN: z.string().min(1).optional(),
    /** The chat assistant's engine (docs/api.md#chat): the offline rules parser, or Amazon Bedrock's Converse API with BEDROCK_MODEL_ID. */
    CHAT_ENGINE: z.enum(['rules', 'bedrock']).default('rules'),
    BEDROCK_MODEL_ID: z.string().min(1).optional(),
    /** The stage's custom EventBridge bus domain events go to (AWS; local mode publishes to the in-process bus). */
    EVENT_BUS_NAME: z.string().min(1).optional(),
    /** Live updates on AWS: the WebSocket stage's management endpoint (https://…/<stage>) the notifier posts to. */
    LIVE_CALLBACK_URL: z.url().optional(),
    /**
     * Local mode: Stepwise's own loopback ports (API, DynamoDB Local, local stores), comma-separated; the
     * local server sets it. Workflow and webhook HTTP may reach other loopback ports, never these.
     */
    STEPWISE_RESERVED_PORTS: z
      .string()
      .regex(/^(\d{1,5}(,\d{1,5})*)?$/)
      .default(''),
    /** The webhook delivery queue (AWS): the webhooks API enqueues replays and test pings, the dispatcher its retries. */
    WEBHOOK_QUEUE_URL: z.url().optional(),
    /** ml_training: the S3 endpoint (local mode: the local object store, path-style), and the stage's model bucket artifacts go to. */
    S3_ENDPOINT: z.url().optional(),
    MODEL_BUCKET: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/).optional(),
    /** etl and fetch_data on AWS: the stage's data bucket (s3:// locations under etl/<account>/) and the name prefix of accounts' own DynamoDB tables. */
    DATA_BUCKET: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/).optional(),
    DATA_TABLE_PREFIX: z.string().regex(/^[A-Za-z0-9_.-]{1,200}$/).optional(),
    /** Local mode: `off` stops generic and ci nodes from running commands on this machine (docs/api.md, "Jobs"). */
    STEPWISE_LOCAL_JOBS: z.enum(['on', 'off']).default('on'),
    /** send_email's sender: on AWS the stage's verified SES identity (required by email:send); locally the From of SMTP mail. */
    EMAIL_SENDER: z.string().min(3).max(320).optional(),
    /** Local mode: where the embedded Postgres listens (the server sets it): every account's `local` data source. */
    STEPWISE_LOCAL_POSTGRES_URL: z.string().regex(/^postgres:\/\/[^\s]+$/).optional(),
    /** Local mode: send_email goes out through this SMTP server (smtp:// or smtps://) instead of the outbox. */
    SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\/[^\s]+$/, 'must be an smtp:// or smtps:// URL')
      .optional(),
  })
  .superRefine((env, ctx) => {
    if (env.CHAT_ENGINE === 'bedrock' && !env.BEDROCK_MODEL_ID) {
      ctx.addIssue({ code: 'custom', path: ['BEDROCK_MODEL_ID'], message: 'is required when CHAT_ENGINE is bedrock' });
    }
  });

export type Config = z.infer<typeof ConfigSchema> & {
  readonly jwtIssuer: string;
  readonly jwtAudience: string;
  readonly corsOrigins: string[];
  readonly rateLimits: RateLimitSettings;
  readonly platformAdmins: ReadonlySet<string>;
  /** STEPWISE_RESERVED_PORTS as numbers. */
  readonly reservedPorts: ReadonlySet<number>;
};

/** Every setting a capability names has its rule in the schema (a typo in the declaration fails here). */
const SCHEMA_KEYS: ReadonlySet<string> = new Set(Object.keys(ConfigSchema.shape));

/**
 * The configuration of a function with these capabilities, from its environment. Fails with every
 * problem at once: bad values, and settings a capability requires that are not set.
 */
export function parseConfig(env: Readonly<Record<string, string | undefined>>, capabilities: readonly Capability[] = []): Config {
  const parsed = ConfigSchema.safeParse(env);
  const problems = parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  for (const capability of capabilities) {
    const spec: CapabilitySpec = CAPABILITIES[capability];
    for (const setting of spec.requires ?? []) {
      if (!SCHEMA_KEYS.has(setting)) problems.push(`${setting}: is not a known setting (lib/definitions/capabilities.ts)`);
      else if (!env[setting] && !problems.some((p) => p.startsWith(`${setting}:`))) problems.push(`${setting}: is required (capability ${capability})`);
    }
  }
  if (!parsed.success || problems.length) throw new Error(`Invalid Stepwise configuration: ${problems.join('; ')}`);
  return {
    ...parsed.data,
    jwtIssuer: `urn:stepwise:${parsed.data.STEPWISE_STAGE}`,
    jwtAudience: 'urn:stepwise:api',
    corsOrigins: parsed.data.CORS_ORIGINS.split(',').map((o) => o.trim()).filter(Boolean),
    rateLimits: {
      free: parsed.data.RATE_LIMIT_FREE,
      enterprise: parsed.data.RATE_LIMIT_ENTERPRISE,
      anonymous: parsed.data.RATE_LIMIT_ANONYMOUS,
      windowSeconds: parsed.data.RATE_LIMIT_WINDOW_SECONDS,
      account: { free: parsed.data.RATE_LIMIT_ACCOUNT_FREE, enterprise: parsed.data.RATE_LIMIT_ACCOUNT_ENTERPRISE },
    },
    platformAdmins: new Set(parsed.data.PLATFORM_ADMINS.split(',').map((u) => u.trim().toLowerCase()).filter(Boolean)),
    reservedPorts: new Set(parsed.data.STEPWISE_RESERVED_PORTS.split(',').filter(Boolean).map(Number)),
  };
}
