import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import packageJson from '../package.json' with { type: 'json' };

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Everything that differs between deployments of Stepwise. Stacks read this, never raw context. */
export interface StageConfig {
  /** `dev`, `prod`, or any name such as `pr-42`; it becomes part of every stack name. */
  readonly stage: string;
  /** Prefix shared by every stack and export of this stage: `Stepwise-<stage>`. */
  readonly stackPrefix: string;
  /** Version reported by the API (`APP_VERSION`), taken from package.json so it cannot drift. */
  readonly appVersion: string;
  /** Keep the table, secrets and logs when a stack is deleted (prod stages). */
  readonly retainData: boolean;
  readonly removalPolicy: RemovalPolicy;
  /** Stage-wide default for every method; usage plans per tier narrow this later. */
  readonly throttling: { readonly rateLimit: number; readonly burstLimit: number };
  readonly logRetention: RetentionDays;
  readonly logLevel: LogLevel;
  readonly lambda: { readonly memorySize: number; readonly timeout: Duration };
  /** Origins answered by the CORS preflight. Empty means no preflight (same-origin only). */
  readonly corsAllowOrigins: readonly string[];
  /** How often the JWT signing key rotates. */
  readonly signingKeyRotation: Duration;
  /**
   * API Gateway usage plans, one per account tier, metering each account's key: the coarse
   * per-account backstop at the account limit (rateLimits.account); the pipeline enforces the
   * exact per-minute limits, per credential and per account.
   */
  readonly usagePlans: Readonly<Record<'free' | 'enterprise', UsagePlanLimits>>;
  /** How long the gateway authorizer remembers a verified credential (0–300 s). */
  readonly authorizerCacheSeconds: number;
  /** The precise per-principal limits (requests per window) the functions enforce (docs/api.md#rate-limits). */
  readonly rateLimits: {
    readonly free: number;
    readonly enterprise: number;
    readonly anonymous: number;
    readonly windowSeconds: number;
    /** Per account over all its credentials, so more keys never mean more requests. */
    readonly account: { readonly free: number; readonly enterprise: number };
  };
  /** The chat assistant's engine (docs/api.md#chat). */
  readonly chat: ChatConfig;
  /**
   * Workflow `lambda` nodes may invoke only functions whose name starts with this (default
   * `stepwise-<stage>-fn_`): deploying a function under the prefix is how an operator opts it in.
   */
  readonly lambdaNodeFunctionPrefix: string;
  /**
   * Usernames that act as platform admins (`POST /accounts`, plan changes): `-c platformAdmins=alice,bob`.
   * Set as PLATFORM_ADMINS on the functions that issue tokens (docs/deploy.md#context); empty means none.
   */
  readonly platformAdmins: readonly string[];
  /**
   * send_email's sender, a verified SES identity (`-c emailSender=noreply@example.com`): the task runner
   * may send only from that address. Without it, send_email fails naming the missing setting.
   */
  readonly emailSender?: string;
}

/**
 * `rules` (default) is the offline parser. `bedrock` asks that Amazon Bedrock foundation model
 * through the Converse API (the rules parser still answers when the model fails) and grants the
 * chat function `bedrock:InvokeModel` on exactly that model.
 */
export interface ChatConfig {
  readonly engine: 'rules' | 'bedrock';
  /** A foundation-model id such as `anthropic.claude-3-haiku-20240307-v1:0`; required for `bedrock`. */
  readonly bedrockModelId?: string;
}

/**
 * CloudFlow's published limits: 100/min free, 1000/min enterprise per credential, 20/min
 * unauthenticated; and five credentials' worth per account, however many keys it mints.
 */
const CLOUDFLOW_LIMITS = { free: 100, enterprise: 1000, anonymous: 20, windowSeconds: 60, account: { free: 500, enterprise: 5000 } } as const;

export interface UsagePlanLimits {
  /** The tier's documented limit; API Gateway throttles per second, so the plan uses this / 60. */
  readonly requestsPerMinute: number;
  /** Token-bucket size: how many requests may arrive at once before the per-second rate applies. */
  readonly burstLimit: number;
}

// A bucket of one minute's allowance refilled at a minute's allowance per 60 s never refuses an
// account the pipeline's per-minute account window would admit, so the gateway only ever catches floods.
const USAGE_PLANS: StageConfig['usagePlans'] = {
  free: { requestsPerMinute: CLOUDFLOW_LIMITS.account.free, burstLimit: CLOUDFLOW_LIMITS.account.free },
  enterprise: { requestsPerMinute: CLOUDFLOW_LIMITS.account.enterprise, burstLimit: CLOUDFLOW_LIMITS.account.enterprise },
};

// Stack names allow [A-Za-z0-9-]; keeping stages short and lower-case also keeps generated
// resource names (which CloudFormation truncates) recognisable.
const STAGE_NAME = /^[a-z][a-z0-9-]{0,23}$/;

/** Local front-ends (Vite, the local server) so a dev stage works from a laptop out of the box. */
const LOCAL_ORIGINS = ['http://localhost:3000', 'http://127.0.0.1:3000', 'http://localhost:5173'];

type Defaults = Omit<StageConfig, 'stage' | 'stackPrefix' | 'appVersion' | 'retainData' | 'removalPolicy' | 'chat' | 'lambdaNodeFunctionPrefix' | 'platformAdmins'>;

const DEV_DEFAULTS: Defaults = {
  throttling: { rateLimit: 50, burstLimit: 100 },
  logRetention: RetentionDays.TWO_WEEKS,
  logLevel: 'debug',
  lambda: { memorySize: 512, timeout: Duration.seconds(10) },
  corsAllowOrigins: LOCAL_ORIGINS,
  signingKeyRotation: Duration.days(30),
  rateLimits: CLOUDFLOW_LIMITS,
  usagePlans: USAGE_PLANS,
  authorizerCacheSeconds: 60,
};

const PROD_DEFAULTS: Defaults = {
  throttling: { rateLimit: 500, burstLimit: 1000 },
  logRetention: RetentionDays.ONE_YEAR,
  logLevel: 'info',
  // More memory buys proportionally more CPU, which is what scrypt password hashing in `auth` needs.
  lambda: { memorySize: 1024, timeout: Duration.seconds(10) },
  // A production API must name its browser origins explicitly (-c corsOrigins=...).
  corsAllowOrigins: [],
  signingKeyRotation: Duration.days(30),
  rateLimits: CLOUDFLOW_LIMITS,
  usagePlans: USAGE_PLANS,
  authorizerCacheSeconds: 60,
};

export interface StageConfigOverrides {
  /** Comma-separated list from `-c corsOrigins=https://a.example,https://b.example`. */
  readonly corsOrigins?: string;
  /** `-c chatEngine=bedrock -c bedrockModelId=<foundation model id>`; default `rules`. */
  readonly chatEngine?: string;
  readonly bedrockModelId?: string;
  /** Comma-separated usernames from `-c platformAdmins=alice,bob`. */
  readonly platformAdmins?: string;
  /** `-c emailSender=noreply@example.com`: the SES identity send_email sends from. */
  readonly emailSender?: string;
}

export function isProdStage(stage: string): boolean {
  return stage === 'prod' || stage.startsWith('prod');
}

export function stageConfig(stage: string, overrides: StageConfigOverrides = {}): StageConfig {
  if (!STAGE_NAME.test(stage)) {
    throw new Error(
      `Invalid stage '${stage}': use 1-24 lower-case letters, digits or '-', starting with a letter (e.g. dev, prod, pr-42)`,
    );
  }
  const prod = isProdStage(stage);
  // Unknown stages (pr-42, alice) are throwaway copies of dev; only prod* stages keep data.
  const defaults = prod ? PROD_DEFAULTS : DEV_DEFAULTS;
  return {
    ...defaults,
    stage,
    stackPrefix: `Stepwise-${stage}`,
    appVersion: packageJson.version,
    retainData: prod,
    removalPolicy: prod ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    corsAllowOrigins: overrides.corsOrigins === undefined ? defaults.corsAllowOrigins : parseOrigins(overrides.corsOrigins),
    chat: chatConfig(overrides),
    // `_` cannot occur in a stage name, so stage `pr`'s prefix never matches stage `pr-fn`'s functions.
    lambdaNodeFunctionPrefix: `stepwise-${stage}-fn_`,
    platformAdmins: parsePlatformAdmins(overrides.platformAdmins),
    ...(overrides.emailSender !== undefined ? { emailSender: parseEmailSender(overrides.emailSender) } : {}),
  };
}

function parseEmailSender(raw: string): string {
  const sender = raw.trim();
  if (!/^[^\s@<>(),;:"[\]]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$/.test(sender)) throw new Error(`Invalid emailSender '${sender}': use the plain address of a verified SES identity, e.g. noreply@example.com`);
  return sender;
}

/** Usernames as the login form accepts them; the functions compare them lower-cased. */
const USERNAME = /^[a-z0-9._@+-]{1,128}$/;

function parsePlatformAdmins(raw: string | undefined): string[] {
  const names = (raw ?? '')
    .split(',')
    .map((n) => n.trim().toLowerCase())
    .filter((n) => n.length > 0);
  for (const name of names) {
    if (!USERNAME.test(name)) throw new Error(`Invalid platformAdmins entry '${name}': use usernames (letters, digits, . _ @ + -), comma-separated`);
  }
  return [...new Set(names)];
}

/** `provider.model…`: cross-region inference profiles (`us.…`, `eu.…`) and ARNs need other grants, so they are refused. */
const FOUNDATION_MODEL_ID = /^(?!(?:us|us-gov|eu|apac|ca|jp|au|global)\.)[a-z0-9-]+\.[A-Za-z0-9._:-]+$/;

function chatConfig(overrides: StageConfigOverrides): ChatConfig {
  const engine = overrides.chatEngine ?? 'rules';
  if (engine === 'rules') {
    if (overrides.bedrockModelId !== undefined) throw new Error('bedrockModelId is only used with chatEngine=bedrock');
    return { engine };
  }
  if (engine !== 'bedrock') throw new Error(`Invalid chatEngine '${engine}': use rules or bedrock`);
  const modelId = overrides.bedrockModelId;
  if (!modelId) throw new Error('chatEngine=bedrock needs bedrockModelId (a Bedrock foundation-model id, e.g. anthropic.claude-3-haiku-20240307-v1:0)');
  if (!FOUNDATION_MODEL_ID.test(modelId)) {
    throw new Error(`Invalid bedrockModelId '${modelId}': use a foundation-model id such as anthropic.claude-3-haiku-20240307-v1:0 (not an ARN or a cross-region inference profile)`);
  }
  return { engine, bedrockModelId: modelId };
}

function parseOrigins(raw: string): string[] {
  const origins = raw
    .split(',')
    .map((o) => o.trim())
    .filter((o) => o.length > 0);
  for (const origin of origins) {
    // A path or trailing slash never matches the browser's Origin header, so reject it early.
    if (origin !== '*' && !/^https?:\/\/[^/\s]+$/.test(origin)) {
      throw new Error(`Invalid CORS origin '${origin}': expected scheme://host[:port] with no path`);
    }
  }
  return origins;
}
