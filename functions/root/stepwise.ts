import { systemClock, type Clock } from '../core/clock.ts';
import type { Logger } from '../core/logger.ts';
import type { SecretStore } from '../core/secrets/ports.ts';
import { SecretResolver } from '../core/secrets/secret-resolver.ts';
import { SecretService } from '../core/secrets/secret-service.ts';
import type { GatewayKeys } from '../core/auth/ports.ts';
import type { HealthProbe } from '../core/system/health.ts';
import { TaskService } from '../core/tasks/task-service.ts';
import { createDocumentClient, type DynamoDBDocumentClient } from '../adapters/dynamodb/client.ts';
import { DynamoSecretMetadataRepository } from '../adapters/dynamodb/secret-metadata-repository.ts';
import { tableProbe } from '../adapters/dynamodb/table-probe.ts';
import { DynamoTaskRepository } from '../adapters/dynamodb/task-repository.ts';
import type { SigningKeySource } from '../adapters/tokens/signing-keys.ts';
import type { Config } from './config.ts';
import type { Platform } from './platform.ts';

/**
 * One Stepwise: every service of one configuration on one platform, each built once, on first
 * use, so a function builds only what its routes touch. Nothing here is process-wide: two
 * instances with different settings live side by side in one process (the tests do that).
 *
 * The services every function may need are here; identity (credentials, sessions, OAuth, the HTTP
 * pipeline: functions/root/identity.ts) and the heavier feature groups (workflows with the
 * compiler, runs, triggers, webhooks, the task runner, chat, live updates, insight) are slices of
 * an instance, each in its own module of functions/root (`workflowsOf(stepwise)` …), so a Lambda
 * bundle carries only the slices its handler imports (docs/architecture.md#the-composition-root):
 * the task runner, the event stream and the dispatchers authenticate nobody and carry no JWT code.
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
  readonly gatewayKeys: GatewayKeys;
  readonly secretStore: SecretStore;
  readonly secrets: SecretService;
  /** `(account, key) → value` for the task runner; values never leave through the API. */
  readonly secretResolver: SecretResolver;
  readonly tasks: TaskService;
  readonly healthProbes: readonly HealthProbe[];
}

/** An object whose members are read through their builders (each `once`d), so a member is built when first read. */
export function onFirstRead<T extends object>(builders: { readonly [K in keyof T]: () => T[K] }): T {
  const members = Object.entries(builders as Record<string, () => unknown>).map(([name, get]): [string, PropertyDescriptor] => [name, { get, enumerable: true }]);
  return Object.defineProperties({}, Object.fromEntries(members)) as T;
}

/** A value built on first read and kept. */
export function once<T>(build: () => T): () => T {
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
  const gatewayKeys = once(() => platform.gatewayKeys());
  const secretStore = once(() => platform.secretStore(new DynamoSecretMetadataRepository(db(), table())));
  const secretResolver = once(() => new SecretResolver(secretStore(), clock));
  const secrets = once(() => new SecretService(secretStore(), clock, secretResolver()));
  const tasks = once(() => new TaskService(new DynamoTaskRepository(db(), table()), clock));
  const healthProbes = once(() => [tableProbe(db(), table())]);

  return Object.assign(onFirstRead({ db, table, signingKeys, gatewayKeys, secretStore, secrets, secretResolver, tasks, healthProbes }), { config, platform, logger, clock });
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
