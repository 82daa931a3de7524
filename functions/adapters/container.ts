import { join } from 'node:path';
import { AccountService } from '../core/auth/account-service.ts';
import { AuthService } from '../core/auth/auth-service.ts';
import { UserService } from '../core/auth/user-service.ts';
import { Authenticator } from '../core/auth/authenticator.ts';
import type { CredentialVerifier } from '../core/auth/ports.ts';
import { systemClock } from '../core/clock.ts';
import type { HealthProbe } from '../core/system/health.ts';
import { TaskService } from '../core/tasks/task-service.ts';
import { SecretsManagerSigningKeys } from './aws/secrets-manager-signing-keys.ts';
import { parseConfig, type Config } from './config.ts';
import { ScryptPasswordHasher } from './crypto/scrypt-password-hasher.ts';
import { createDocumentClient } from './dynamodb/client.ts';
import { ApiKeyService } from '../core/api-keys/api-key-service.ts';
import { DynamoApiKeyRepository } from './dynamodb/api-key-repository.ts';
import { DynamoIdentityRepository } from './dynamodb/identity-repository.ts';
import { DynamoLoginFailures } from './dynamodb/login-failures.ts';
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
  readonly auth: AuthService;
  readonly apiKeys: ApiKeyService;
  readonly users: UserService;
  readonly accounts: AccountService;
  readonly tasks: TaskService;
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
          config.JWKS_SECRET_ARN!,
          config.SIGNING_KEY_SECRET_ARN,
        );
  const tokens = new JwtTokenService(keys, { issuer: config.jwtIssuer, audience: config.jwtAudience });
  const sessions = new DynamoSessionStore(db, table);
  const identities = new DynamoIdentityRepository(db, table);
  const apiKeyRepository = new DynamoApiKeyRepository(db, table);
  const apiKeys = new ApiKeyService(apiKeyRepository, identities, systemClock);
  const hasher = new ScryptPasswordHasher();
  let auth: AuthService | undefined;
  let tasks: TaskService | undefined;
  let users: UserService | undefined;
  let accounts: AccountService | undefined;
  return {
    config,
    tokens,
    verifier: new Authenticator(tokens, sessions, apiKeys),
    apiKeys,
    get auth() {
      auth ??= new AuthService({
        identities,
        hasher,
        platformAdmins: config.platformAdmins,
        tokens,
        sessions,
        failures: new DynamoLoginFailures(db, table, systemClock),
        clock: systemClock,
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
    get accounts() {
      accounts ??= new AccountService(identities, hasher, [], systemClock);
      return accounts;
    },
    healthProbes: [tableProbe(db, table)],
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
  return {
    verifier: () => container().verifier,
    corsOrigins: config.corsOrigins,
    logger: createLogger(config.LOG_LEVEL),
  };
}
