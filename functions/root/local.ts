import { join } from 'node:path';
import type { EventPublisher } from '../core/events/catalog.ts';
import type { Logger } from '../core/logger.ts';
import type { DeliveryQueue } from '../core/webhooks/ports.ts';
import { EncryptedTableSecretStore, FileSecretKey } from '../adapters/local/encrypted-table-secret-store.ts';
import { ChildProcessCommands } from '../adapters/local/child-process-commands.ts';
import { FileSigningKeys } from '../adapters/local/file-signing-keys.ts';
import { OutboxMailSender } from '../adapters/email/outbox-mail-sender.ts';
import { SmtpMailSender } from '../adapters/email/smtp-mail-sender.ts';
import type { EngineControl } from '../adapters/local/local-engine.ts';
import { LocalExecutionEngine } from '../adapters/local/local-execution-engine.ts';
import { LocalGatewayKeys } from '../adapters/local/local-gateway-keys.ts';
import { LocalLambdaInvoker } from '../adapters/local/local-lambda-invoker.ts';
import { LocalProvisioner } from '../adapters/local/local-provisioner.ts';
import { LocalSchedules, type LocalScheduler } from '../adapters/local/local-scheduler.ts';
import { localTaskTokens } from '../adapters/local/local-task-tokens.ts';
import { S3ObjectStore } from '../adapters/local/local-s3-object-store.ts';
import { csvTrainer } from '../core/ml/trainer.ts';
import type { Config } from './config.ts';
import type { Platform } from './platform.ts';

/**
 * The local server's in-process parts a platform hands out. Each is optional because the engine's
 * thread (functions/root/local-engine-thread.ts) builds its own Stepwise with only what a run needs
 * (the task runner and the status consumer); using a part such a platform lacks is a clear error,
 * never a silent no-op.
 */
export interface LocalParts {
  readonly logger: Logger;
  /** Scales Wait states and the webhook retry schedule (1 = real time). */
  readonly timeScale: number;
  /** The engine thread, seen from the API thread (functions/adapters/local/engine-worker.ts). */
  readonly engine?: EngineControl;
  /** Domain events: the in-process bus the table stream publishes to. */
  readonly bus?: EventPublisher;
  /** Webhook deliveries: the in-process queue in front of the dispatcher. */
  readonly deliveryQueue?: DeliveryQueue;
  /** Schedule triggers: the cron loop (a Stepwise without it keeps schedules in the table only). */
  readonly scheduler?: Pick<LocalScheduler, 'upsert' | 'remove'>;
  /** The PATH local jobs run with (the server's own; bin/local.ts passes it). */
  readonly path?: string;
}

function missing(part: string): never {
  throw new Error(`This local Stepwise has no ${part} (functions/root/local.ts): only the local server's API thread has one`);
}

/**
 * Local mode's platform: everything that differs from AWS, as the local server's own objects
 * (docs/architecture.md#platforms). Keys and the secret store's key live under the data dir;
 * workflow and webhook HTTP may reach loopback receivers, never Stepwise's own ports.
 */
export function localPlatform(config: Config, parts: LocalParts): Platform {
  const keysDir = join(config.STEPWISE_DATA_DIR, 'keys');
  const startedAt = new Date().toISOString();
  return {
    name: 'local',
    logger: parts.logger,
    network: { allowLoopback: true, requireHttps: false, reservedPorts: config.reservedPorts },
    timeScale: parts.timeScale,
    signingKeys: () => new FileSigningKeys(join(keysDir, 'signing-keys.json')),
    secretStore: (metadata) => new EncryptedTableSecretStore(metadata, new FileSecretKey(join(keysDir, 'secrets.key'))),
    // Local mode keeps no state machines: a workflow's ASL is stored with its version.
    deleteMachine: async () => undefined,
    gatewayKeys: () => new LocalGatewayKeys(),
    engine: (definitions) =>
      parts.engine
        ? new LocalExecutionEngine(parts.engine, definitions)
        : { start: async () => missing('execution engine'), stop: async () => missing('execution engine'), redrive: async () => missing('execution engine') },
    publisher: () => parts.bus ?? { publish: async () => missing('event bus') },
    deliveryQueue: () => parts.deliveryQueue ?? { send: async () => missing('webhook delivery queue') },
    schedules: () => new LocalSchedules(parts.scheduler),
    provisioner: (namePrefix) => new LocalProvisioner(namePrefix),
    // Local mode has no account: its engine runs machines by these local-only names (never deployed).
    compilerTargets: (prefix) => ({
      taskRunnerArn: config.TASK_RUNNER_ARN ?? `arn:aws:lambda:${config.AWS_REGION}:000000000000:function:${prefix}-task-runner`,
      stateMachineArnPrefix: config.STATE_MACHINE_ARN_PREFIX ?? `arn:aws:states:${config.AWS_REGION}:000000000000:stateMachine:${prefix}-`,
      partition: 'aws',
    }),
    lambdaInvoker: () => new LocalLambdaInvoker(),
    // generic/ci as child processes of the server, as its own user (docs/api.md, "Jobs"), unless the operator turned them off.
    commands: () =>
      config.STEPWISE_LOCAL_JOBS === 'on' ? new ChildProcessCommands({ workRoot: join(config.STEPWISE_DATA_DIR, 'jobs'), path: parts.path ?? '/usr/local/bin:/usr/bin:/bin' }) : undefined,
    jobLogs: () => undefined,
    // The engine's thread waits on these tokens (functions/adapters/local/local-task-tokens.ts): the runner
    // opens gates there; the API thread completes approvals' tokens through the engine worker.
    taskTokens: () => {
      const engine = parts.engine;
      if (!engine) return localTaskTokens;
      return {
        succeed: async (token, output = '{}') => void (await engine.completeTask(token, { ok: true, output })),
        fail: async (token, error, cause) => void (await engine.completeTask(token, { ok: false, error, cause })),
      };
    },
    // Built on first request from the schemas this code has, so the document never lags the code.
    apiDocument: async () => (await import('../system/openapi.ts')).buildOpenApiDocument(config.APP_VERSION),
    // Nothing leaves the machine unless the operator names an SMTP server (docs/api.md#outbox).
    mailSender: (outbox) => (config.SMTP_URL ? new SmtpMailSender(config.SMTP_URL, config.EMAIL_SENDER ?? 'stepwise@localhost') : new OutboxMailSender(outbox)),
    training: () => (config.S3_ENDPOINT ? { trainer: csvTrainer, objects: new S3ObjectStore({ region: config.AWS_REGION, endpoint: config.S3_ENDPOINT }) } : undefined),
    localPostgres: () => (config.STEPWISE_LOCAL_POSTGRES_URL ? { url: config.STEPWISE_LOCAL_POSTGRES_URL, since: startedAt } : undefined),
    livePusher: () => missing('live pusher (local mode pushes on its own sockets: functions/adapters/local/local-live.ts)'),
  };
}
