import { join } from 'node:path';
import { AccountService } from '../core/auth/account-service.ts';
import { AuthService, roleOf } from '../core/auth/auth-service.ts';
import { ClientStanding } from '../core/oauth/client-standing.ts';
import { UserService } from '../core/auth/user-service.ts';
import { Authenticator } from '../core/auth/authenticator.ts';
import { GatewayAuthorizer } from '../core/auth/gateway-authorizer.ts';
import type { CredentialVerifier, GatewayKeys } from '../core/auth/ports.ts';
import { systemClock } from '../core/clock.ts';
import { RateLimiter } from '../core/rate-limit/rate-limiter.ts';
import type { HealthProbe } from '../core/system/health.ts';
import { TaskService } from '../core/tasks/task-service.ts';
import { SecretsManagerSigningKeys } from './aws/secrets-manager-signing-keys.ts';
import { parseConfig, requireCredentialKeys, type Config } from './config.ts';
import { ScryptPasswordHasher } from './crypto/scrypt-password-hasher.ts';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from './dynamodb/client.ts';
import { ApiKeyService } from '../core/api-keys/api-key-service.ts';
import { OAuthService } from '../core/oauth/oauth-service.ts';
import type { SecretStore } from '../core/secrets/ports.ts';
import { SecretResolver } from '../core/secrets/secret-resolver.ts';
import { SecretService } from '../core/secrets/secret-service.ts';
import { DynamoSecretMetadataRepository } from './dynamodb/secret-metadata-repository.ts';
import { EncryptedTableSecretStore, FileSecretKey } from './local/encrypted-table-secret-store.ts';
import { SecretsManagerSecretStore } from './aws/secrets-manager-secret-store.ts';
import { AccountMachines, stepFunctionsMachineDeleter } from './aws/account-machines.ts';
import { lazy } from './lazy.ts';
import { LocalGatewayKeys } from './local/local-gateway-keys.ts';
import type { OAuthDeps } from '../oauth/operations.ts';
import { DynamoAssertionReplays, DynamoAuthorizationCodeStore, DynamoOAuthClientRepository } from './dynamodb/oauth-repository.ts';
import { BearerAssertionVerifier } from '../core/oauth/assertions.ts';
import { JoseAssertionVerifier } from './tokens/jwt-assertion-verifier.ts';
import { DynamoApiKeyRepository } from './dynamodb/api-key-repository.ts';
import { DynamoIdentityRepository } from './dynamodb/identity-repository.ts';
import { DynamoLoginFailures } from './dynamodb/login-failures.ts';
import { DynamoIdempotencyStore } from './dynamodb/idempotency-store.ts';
import type { IdempotencyStore } from '../core/idempotency/idempotency.ts';
import { DynamoRateLimiter } from './dynamodb/rate-limiter.ts';
import { DynamoSessionStore } from './dynamodb/session-store.ts';
import { tableProbe } from './dynamodb/table-probe.ts';
import { DynamoTaskRepository } from './dynamodb/task-repository.ts';
import { FileSigningKeys } from './local/file-signing-keys.ts';
import { createLogger } from '../http/logger.ts';
import type { PipelineOptions } from '../http/pipeline.ts';
import { JwtTokenService } from './tokens/jwt-token-service.ts';
import type { SigningKeySource } from './tokens/signing-keys.ts';

/**
 * The composition root: the only place that picks adapters. Built once per Lambda container
 * (or once per local server), lazily so a handler only constructs what its routes touch.
 */
export interface Container {
  readonly config: Config;
  readonly tokens: JwtTokenService;
  /** Token signature plus session state: what the pipeline authenticates with. */
  readonly verifier: CredentialVerifier;
  /** The API Gateway REQUEST authorizer's logic (functions/authorizer), over the same verifier. */
  readonly gatewayAuthorizer: GatewayAuthorizer;
  readonly auth: AuthService;
  readonly apiKeys: ApiKeyService;
  readonly users: UserService;
  readonly accounts: AccountService;
  readonly oauth: OAuthDeps;
  /** The shared DynamoDB client and table, for per-function wiring (functions/adapters/workflows-wiring.ts). */
  readonly db: DynamoDBDocumentClient;
  readonly secrets: SecretService;
  /** `(account, key) → value` for the task runner; values never leave through the API. */
  readonly secretResolver: SecretResolver;
  readonly tasks: TaskService;
  /** Per-credential / per-address request counters; one per container, so refusals are remembered across requests. */
  readonly rateLimiter: RateLimiter;
  /** Idempotency-Key claims and kept responses of create routes. */
  readonly idempotency: IdempotencyStore;
  readonly healthProbes: readonly HealthProbe[];
}

export function createContainer(config: Config): Container {
  const db = createDocumentClient({ region: config.AWS_REGION, endpoint: config.DYNAMODB_ENDPOINT });
  const table = config.TABLE_NAME;
  const keys: SigningKeySource =
    config.STEPWISE_MODE === 'local'
      ? new FileSigningKeys(join(config.STEPWISE_DATA_DIR, 'keys', 'signing-keys.json'))
      : new SecretsManagerSigningKeys(
          async () => new (await import('@aws-sdk/client-secrets-manager')).SecretsManagerClient({ region: config.AWS_REGION }),
          // Only functions that verify credentials read keys; they checked at cold start (requireCredentialKeys).
          config.JWKS_SECRET_ARN ?? '',
          config.SIGNING_KEY_SECRET_ARN,
        );
  const tokens = new JwtTokenService(keys, { issuer: config.jwtIssuer, audience: config.jwtAudience });
  const sessions = new DynamoSessionStore(db, table);
  const identities = new DynamoIdentityRepository(db, table);
  const apiKeyRepository = new DynamoApiKeyRepository(db, table);
  const apiKeys = new ApiKeyService(apiKeyRepository, identities, systemClock);
  const hasher = new ScryptPasswordHasher();
  const gatewayKeys = gatewayKeysFor(config);
  let gatewayAuthorizer: GatewayAuthorizer | undefined;
  const oauthClients = new DynamoOAuthClientRepository(db, table);
  const clientStanding = new ClientStanding(oauthClients, identities, (user) => roleOf(user, config.platformAdmins));
  // A client-signed assertion names this API (its audience, or its own address) or its token endpoint.
  const assertionAudiences = [
    config.jwtAudience,
    ...(config.PUBLIC_BASE_URL ? [config.PUBLIC_BASE_URL, `${config.PUBLIC_BASE_URL}/api/v1`, `${config.PUBLIC_BASE_URL}/oauth/token`, `${config.PUBLIC_BASE_URL}/api/v1/oauth/token`] : []),
  ];
  const replays = new DynamoAssertionReplays(db, table);
  // CloudFlow's client-signed JWTs as Bearer (docs/api.md#credentials); the gateway authorizer may only
  // read, so only the functions behind it record a token's jti.
  const bearerAssertions = (replayStore: DynamoAssertionReplays | undefined) =>
    new BearerAssertionVerifier({ clients: oauthClients, identities, standing: clientStanding, assertions: new JoseAssertionVerifier(), audiences: assertionAudiences, clock: systemClock, replays: replayStore });
  let auth: AuthService | undefined;
  let tasks: TaskService | undefined;
  let users: UserService | undefined;
  let accounts: AccountService | undefined;
  let oauth: OAuthDeps | undefined;
  let secrets: SecretService | undefined;
  let secretResolver: SecretResolver | undefined;
  let secretStore: SecretStore | undefined;
  const store = () => (secretStore ??= secretStoreFor(config, new DynamoSecretMetadataRepository(db, table)));
  return {
    config,
    tokens,
    verifier: new Authenticator(tokens, sessions, apiKeys, clientStanding, bearerAssertions(replays)),
    apiKeys,
    get gatewayAuthorizer() {
      if (!gatewayAuthorizer) {
        // The authorizer writes nothing but the anonymous rate-limit windows of refused callers (its
        // role: point reads, and UpdateItem on RATELIMIT#ip# keys); the pipeline behind it records
        // an API key's last use, so this verifier's key service never writes.
        const readOnlyKeys = new ApiKeyService(Object.assign(Object.create(apiKeyRepository) as DynamoApiKeyRepository, { touch: async () => undefined }), identities, systemClock);
        // Client-signed Bearer JWTs are checked without recording their jti (the function behind it does).
        const readOnlyVerifier = new Authenticator(tokens, sessions, readOnlyKeys, clientStanding, bearerAssertions(undefined));
        gatewayAuthorizer = new GatewayAuthorizer(readOnlyVerifier, identities, systemClock, { cacheSeconds: config.AUTHORIZER_CACHE_SECONDS }, this.rateLimiter);
      }
      return gatewayAuthorizer;
    },
    get auth() {
      auth ??= new AuthService({
        identities,
        hasher,
        platformAdmins: config.platformAdmins,
        tokens,
        sessions,
        failures: new DynamoLoginFailures(db, table, systemClock),
        clock: systemClock,
        gatewayKeys,
        clientExists: (accountId, clientId) => clientStanding.exists(accountId, clientId),
      });
      return auth;
    },
    get tasks() {
      tasks ??= new TaskService(new DynamoTaskRepository(db, table), systemClock);
      return tasks;
    },
    get users() {
      users ??= new UserService(identities, hasher, sessions, apiKeyRepository, systemClock);
      return users;
    },
    get oauth() {
      oauth ??= {
        oauth: new OAuthService({
          clients: oauthClients,
          codes: new DynamoAuthorizationCodeStore(db, table),
          identities,
          auth: this.auth,
          tokens,
          assertions: new JoseAssertionVerifier(),
          standing: clientStanding,
          replays,
          assertionAudiences,
          clock: systemClock,
        }),
        jwks: () => keys.publicKeys(),
      };
      return oauth;
    },
    db,
    get secretResolver() {
      secretResolver ??= new SecretResolver(store(), systemClock);
      return secretResolver;
    },
    get secrets() {
      secrets ??= new SecretService(store(), systemClock, this.secretResolver);
      return secrets;
    },
    get accounts() {
      accounts ??= new AccountService(identities, hasher, [this.secrets, accountMachinesFor(config, db, table)], systemClock, gatewayKeys);
      return accounts;
    },
    rateLimiter: new RateLimiter(new DynamoRateLimiter(db, table), config.rateLimits, systemClock),
    idempotency: new DynamoIdempotencyStore(db, table),
    healthProbes: [tableProbe(db, table)],
  };
}

/** Secrets Manager on AWS (client loaded on first use); AES-256-GCM under a local key in local mode. */
function secretStoreFor(config: Config, metadata: DynamoSecretMetadataRepository): SecretStore {
  if (config.STEPWISE_MODE === 'local') {
    return new EncryptedTableSecretStore(metadata, new FileSecretKey(join(config.STEPWISE_DATA_DIR, 'keys', 'secrets.key')));
  }
  // The store loads the SDK itself on first use; the client is built once per container.
  const client = lazy(async () => new (await import('@aws-sdk/client-secrets-manager')).SecretsManagerClient({ region: config.AWS_REGION }));
  return new SecretsManagerSecretStore(client, metadata, { stage: config.STEPWISE_STAGE, kmsKeyId: config.SECRETS_KMS_KEY_ID });
}

/** Workflows' state machines of a deleted account: Step Functions on AWS (SDK loaded on first use); local mode keeps none. */
function accountMachinesFor(config: Config, db: DynamoDBDocumentClient, table: string): AccountMachines {
  if (config.STEPWISE_MODE === 'local') return new AccountMachines(db, table, async () => undefined);
  const sfn = lazy(async () => new (await import('@aws-sdk/client-sfn')).SFNClient({ region: config.AWS_REGION, maxAttempts: 8, retryMode: 'adaptive' }));
  return new AccountMachines(db, table, stepFunctionsMachineDeleter(sfn));
}

/**
 * Per-account usage-plan keys: API Gateway on AWS (client loaded and plans resolved on first use,
 * so functions that never create accounts need neither), a no-op in local mode.
 */
function gatewayKeysFor(config: Config): GatewayKeys {
  if (config.STEPWISE_MODE === 'local') return new LocalGatewayKeys();
  const load = lazy(async () => {
    const free = config.USAGE_PLAN_FREE_NAME;
    const enterprise = config.USAGE_PLAN_ENTERPRISE_NAME;
    if (!free || !enterprise) throw new Error('USAGE_PLAN_FREE_NAME and USAGE_PLAN_ENTERPRISE_NAME are required to create accounts');
    const [{ APIGatewayClient }, { ApiGatewayKeys }] = await Promise.all([import('@aws-sdk/client-api-gateway'), import('./aws/api-gateway-keys.ts')]);
    // CreateApiKey/DeleteApiKey are capped at 5 requests/s: adaptive retries pace bursts of sign-ups.
    return new ApiGatewayKeys(new APIGatewayClient({ region: config.AWS_REGION, maxAttempts: 5, retryMode: 'adaptive' }), { stage: config.STEPWISE_STAGE, usagePlanNames: { free, enterprise } });
  });
  return {
    provision: async (account) => (await load()).provision(account),
    changePlan: async (keyId, from, to) => (await load()).changePlan(keyId, from, to),
    remove: async (keyId) => (await load()).remove(keyId),
  };
}

let shared: Container | undefined;

/** The process-wide container, configured from the environment at first use (cold start). */
export function container(): Container {
  shared ??= createContainer(parseConfig(process.env));
  return shared;
}

/** Pipeline wiring shared by every resource handler; reading it parses config at cold start. */
export function pipelineOptions(): PipelineOptions {
  const { config } = container();
  requireCredentialKeys(config);
  return {
    verifier: () => container().verifier,
    corsOrigins: config.corsOrigins,
    logger: createLogger(config.LOG_LEVEL),
    rateLimiter: container().rateLimiter,
    idempotency: container().idempotency,
  };
}
