import { ApiKeyService } from '../core/api-keys/api-key-service.ts';
import { AccountService } from '../core/auth/account-service.ts';
import { AuthService, roleOf } from '../core/auth/auth-service.ts';
import { Authenticator } from '../core/auth/authenticator.ts';
import { GatewayAuthorizer } from '../core/auth/gateway-authorizer.ts';
import type { CredentialVerifier, GatewayKeys } from '../core/auth/ports.ts';
import { UserService } from '../core/auth/user-service.ts';
import { systemClock, type Clock } from '../core/clock.ts';
import type { IdempotencyStore } from '../core/idempotency/idempotency.ts';
import type { Logger } from '../core/logger.ts';
import { BearerAssertionVerifier } from '../core/oauth/assertions.ts';
import { ClientStanding } from '../core/oauth/client-standing.ts';
import { OAuthService } from '../core/oauth/oauth-service.ts';
import { RateLimiter } from '../core/rate-limit/rate-limiter.ts';
import type { SecretStore } from '../core/secrets/ports.ts';
import { SecretResolver } from '../core/secrets/secret-resolver.ts';
import { SecretService } from '../core/secrets/secret-service.ts';
import type { HealthProbe } from '../core/system/health.ts';
import { TaskService } from '../core/tasks/task-service.ts';
import { AccountMachines } from '../adapters/aws/account-machines.ts';
import { ScryptPasswordHasher } from '../adapters/crypto/scrypt-password-hasher.ts';
import { DynamoApiKeyRepository } from '../adapters/dynamodb/api-key-repository.ts';
import { createDocumentClient, type DynamoDBDocumentClient } from '../adapters/dynamodb/client.ts';
import { DynamoIdempotencyStore } from '../adapters/dynamodb/idempotency-store.ts';
import { DynamoIdentityRepository } from '../adapters/dynamodb/identity-repository.ts';
import { DynamoLoginFailures } from '../adapters/dynamodb/login-failures.ts';
import { DynamoAssertionReplays, DynamoAuthorizationCodeStore, DynamoOAuthClientRepository } from '../adapters/dynamodb/oauth-repository.ts';
import { DynamoRateLimiter } from '../adapters/dynamodb/rate-limiter.ts';
import { DynamoSecretMetadataRepository } from '../adapters/dynamodb/secret-metadata-repository.ts';
import { DynamoSessionStore } from '../adapters/dynamodb/session-store.ts';
import { tableProbe } from '../adapters/dynamodb/table-probe.ts';
import { DynamoTaskRepository } from '../adapters/dynamodb/task-repository.ts';
import { JoseAssertionVerifier } from '../adapters/tokens/jwt-assertion-verifier.ts';
import { JwtTokenService } from '../adapters/tokens/jwt-token-service.ts';
import type { SigningKeySource } from '../adapters/tokens/signing-keys.ts';
import type { PipelineOptions } from '../http/pipeline.ts';
import type { Config } from './config.ts';
import type { Platform } from './platform.ts';

/** OAuth's service and the public keys the JWKS route serves (functions/oauth). */
export interface OAuthParts {
  readonly oauth: OAuthService;
  readonly jwks: () => Promise<unknown>;
}

/**
 * One Stepwise: every service of one configuration on one platform, each built once, on first
 * use, so a function builds only what its routes touch. Nothing here is process-wide: two
 * instances with different settings live side by side in one process (the tests do that).
 *
 * The services every function may need are here; the heavier feature groups (workflows with the
 * compiler, runs, triggers, webhooks, the task runner, chat, live updates, insight) are slices of
 * an instance, each in its own module of functions/root (`workflowsOf(stepwise)` …), so a Lambda
 * bundle carries only the slices its handler imports (docs/architecture.md#the-composition-root).
 */
export interface Stepwise {
  readonly config: Config;
  readonly platform: Platform;
  readonly logger: Logger;
  readonly clock: Clock;
  /** The table, for slices that add repositories of their own. */
  readonly db: DynamoDBDocumentClient;
  readonly table: string;
  readonly signingKeys: SigningKeySource;
  readonly tokens: JwtTokenService;
  /** Token signature plus session state: what the pipeline authenticates with. */
  readonly verifier: CredentialVerifier;
  /** The API Gateway REQUEST authorizer's logic (functions/authorizer), over a read-only verifier. */
  readonly gatewayAuthorizer: GatewayAuthorizer;
  readonly auth: AuthService;
  readonly apiKeys: ApiKeyService;
  readonly users: UserService;
  readonly accounts: AccountService;
  readonly oauth: OAuthParts;
  readonly gatewayKeys: GatewayKeys;
  readonly secretStore: SecretStore;
  readonly secrets: SecretService;
  /** `(account, key) → value` for the task runner; values never leave through the API. */
  readonly secretResolver: SecretResolver;
  readonly tasks: TaskService;
  /** Per-credential / per-address request counters; one per instance, so refusals are remembered across requests. */
  readonly rateLimiter: RateLimiter;
  /** Idempotency-Key claims and kept responses of create routes. */
  readonly idempotency: IdempotencyStore;
  readonly healthProbes: readonly HealthProbe[];
  /** What every resource's HTTP pipeline is built with (functions/http/pipeline.ts). */
  readonly pipeline: PipelineOptions;
}

/** A value built on first read and kept. */
function once<T>(build: () => T): () => T {
  let built = false;
  let value: T;
  return () => {
    if (!built) {
      value = build();
      built = true;
    }
    return value;
  };
}

export function createStepwise(config: Config, platform: Platform): Stepwise {
  const clock = systemClock;
  const logger = platform.logger;
  const table = () => {
    if (!config.TABLE_NAME) throw new Error('Invalid Stepwise configuration: TABLE_NAME: is required to reach the table');
    return config.TABLE_NAME;
  };
  const db = once(() => createDocumentClient({ region: config.AWS_REGION, endpoint: config.DYNAMODB_ENDPOINT }));
  const signingKeys = once(() => platform.signingKeys());
  const tokens = once(() => new JwtTokenService(signingKeys(), { issuer: config.jwtIssuer, audience: config.jwtAudience }));
  const sessions = once(() => new DynamoSessionStore(db(), table()));
  const identities = once(() => new DynamoIdentityRepository(db(), table()));
  const apiKeyRepository = once(() => new DynamoApiKeyRepository(db(), table()));
  const apiKeys = once(() => new ApiKeyService(apiKeyRepository(), identities(), clock));
  const hasher = once(() => new ScryptPasswordHasher());
  const gatewayKeys = once(() => platform.gatewayKeys());
  const oauthClients = once(() => new DynamoOAuthClientRepository(db(), table()));
  const clientStanding = once(() => new ClientStanding(oauthClients(), identities(), (user) => roleOf(user, config.platformAdmins)));
  // A client-signed assertion names this API (its audience, or its own address) or its token endpoint.
  const assertionAudiences = [
    config.jwtAudience,
    ...(config.PUBLIC_BASE_URL ? [config.PUBLIC_BASE_URL, `${config.PUBLIC_BASE_URL}/api/v1`, `${config.PUBLIC_BASE_URL}/oauth/token`, `${config.PUBLIC_BASE_URL}/api/v1/oauth/token`] : []),
  ];
  const replays = once(() => new DynamoAssertionReplays(db(), table()));
  // CloudFlow's client-signed JWTs as Bearer (docs/api.md#credentials); the gateway authorizer may only
  // read, so only the functions behind it record a token's jti.
  const bearerAssertions = (replayStore: DynamoAssertionReplays | undefined) =>
    new BearerAssertionVerifier({ clients: oauthClients(), identities: identities(), standing: clientStanding(), assertions: new JoseAssertionVerifier(), audiences: assertionAudiences, clock, replays: replayStore });
  const verifier = once(() => new Authenticator(tokens(), sessions(), apiKeys(), clientStanding(), bearerAssertions(replays())));
  const rateLimiter = once(() => new RateLimiter(new DynamoRateLimiter(db(), table()), config.rateLimits, clock));
  const idempotency = once(() => new DynamoIdempotencyStore(db(), table()));
  const gatewayAuthorizer = once(() => {
    // The authorizer writes nothing but the anonymous rate-limit windows of refused callers (its
    // role: point reads, and UpdateItem on RATELIMIT#ip# keys); the pipeline behind it records
    // an API key's last use, so this verifier's key service never writes.
    const readOnlyKeys = new ApiKeyService(Object.assign(Object.create(apiKeyRepository()) as DynamoApiKeyRepository, { touch: async () => undefined }), identities(), clock);
    // Client-signed Bearer JWTs are checked without recording their jti (the function behind it does).
    const readOnlyVerifier = new Authenticator(tokens(), sessions(), readOnlyKeys, clientStanding(), bearerAssertions(undefined));
    return new GatewayAuthorizer(readOnlyVerifier, identities(), clock, { cacheSeconds: config.AUTHORIZER_CACHE_SECONDS }, rateLimiter());
  });
  const auth = once(
    () =>
      new AuthService({
        identities: identities(),
        hasher: hasher(),
        platformAdmins: config.platformAdmins,
        tokens: tokens(),
        sessions: sessions(),
        failures: new DynamoLoginFailures(db(), table(), clock),
        clock,
        gatewayKeys: gatewayKeys(),
        clientExists: (accountId, clientId) => clientStanding().exists(accountId, clientId),
      }),
  );
  const secretStore = once(() => platform.secretStore(new DynamoSecretMetadataRepository(db(), table())));
  const secretResolver = once(() => new SecretResolver(secretStore(), clock));
  const secrets = once(() => new SecretService(secretStore(), clock, secretResolver()));
  const oauth = once(() => ({
    oauth: new OAuthService({
      clients: oauthClients(),
      codes: new DynamoAuthorizationCodeStore(db(), table()),
      identities: identities(),
      auth: auth(),
      tokens: tokens(),
      assertions: new JoseAssertionVerifier(),
      standing: clientStanding(),
      replays: replays(),
      assertionAudiences,
      clock,
    }),
    jwks: () => signingKeys().publicKeys(),
  }));
  const accounts = once(() => new AccountService(identities(), hasher(), [secrets(), new AccountMachines(db(), table(), (arn) => platform.deleteMachine(arn))], clock, gatewayKeys()));
  const users = once(() => new UserService(identities(), hasher(), sessions(), apiKeyRepository(), clock));
  const tasks = once(() => new TaskService(new DynamoTaskRepository(db(), table()), clock));
  const healthProbes = once(() => [tableProbe(db(), table())]);
  const pipeline = once(
    (): PipelineOptions => ({
      verifier: () => verifier(),
      corsOrigins: config.corsOrigins,
      logger,
      rateLimiter: rateLimiter(),
      idempotency: idempotency(),
    }),
  );

  return {
    config,
    platform,
    logger,
    clock,
    get db() {
      return db();
    },
    get table() {
      return table();
    },
    get signingKeys() {
      return signingKeys();
    },
    get tokens() {
      return tokens();
    },
    get verifier() {
      return verifier();
    },
    get gatewayAuthorizer() {
      return gatewayAuthorizer();
    },
    get auth() {
      return auth();
    },
    get apiKeys() {
      return apiKeys();
    },
    get users() {
      return users();
    },
    get accounts() {
      return accounts();
    },
    get oauth() {
      return oauth();
    },
    get gatewayKeys() {
      return gatewayKeys();
    },
    get secretStore() {
      return secretStore();
    },
    get secrets() {
      return secrets();
    },
    get secretResolver() {
      return secretResolver();
    },
    get tasks() {
      return tasks();
    },
    get rateLimiter() {
      return rateLimiter();
    },
    get idempotency() {
      return idempotency();
    },
    get healthProbes() {
      return healthProbes();
    },
    get pipeline() {
      return pipeline();
    },
  };
}

/**
 * A slice of an instance: built on first use for that instance and kept with it (never across
 * instances), so each feature module of the root reads like `workflowsOf(stepwise)`.
 */
export function slice<T>(build: (stepwise: Stepwise) => T): (stepwise: Stepwise) => T {
  const built = new WeakMap<Stepwise, T>();
  return (stepwise) => {
    let value = built.get(stepwise);
    if (value === undefined) {
      value = build(stepwise);
      built.set(stepwise, value);
    }
    return value;
  };
}
