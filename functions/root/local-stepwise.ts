import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isEventSourceRecord } from '../../lib/definitions/change-stream.ts';
import { CONSOLE_DIST_DIR } from '../../lib/definitions/console.ts';
import { WORKFLOW_TRIGGER_EVENTS } from '../../lib/definitions/event-patterns.ts';
import { RESOURCES, type Resource } from '../../lib/definitions/routes.ts';
import type { DomainEvent } from '../core/events/catalog.ts';
import type { HttpHandler } from '../http/pipeline.ts';
import { createLocalApi, type LocalAuthorizer } from '../adapters/local/api-gateway-server.ts';
import { consoleAssets } from '../adapters/local/console-assets.ts';
import { lockDataDir, type DataDirLock } from '../adapters/local/data-dir-lock.ts';
import { freePort, startDynamoDbLocal, type DynamoDbLocal } from '../adapters/local/dynamodb-local.ts';
import { LocalEngineWorker } from '../adapters/local/engine-worker.ts';
import { DEFAULT_LOCAL_POSTGRES_PORT, startLocalPostgres, type LocalPostgres } from '../adapters/local/local-postgres.ts';
import { startLocalObjectStore, type LocalObjectStore } from '../adapters/local/local-object-store.ts';
import { LocalBus } from '../adapters/local/local-bus.ts';
import { attachLocalLive } from '../adapters/local/local-live.ts';
import { LocalScheduler } from '../adapters/local/local-scheduler.ts';
import { startLocalTableStream, type LocalTableStream } from '../adapters/local/local-table-stream.ts';
import { attachLocalWebhooks, localDeliveryQueue, type LocalWebhooks } from '../adapters/local/local-webhooks.ts';
import { ensureLocalTable } from '../adapters/local/table-setup.ts';
import { createJsonLogger } from '../adapters/logging/json-logger.ts';
import { parseConfig, type Config } from './config.ts';
import { createHandler as authorizerHandler } from './handlers/authorizer.ts';
import { createHandler as eventStreamHandler } from './handlers/event-stream.ts';
import { createHandler as scheduledRunHandler } from './handlers/scheduled-run.ts';
import { createHandler as triggerDispatcherHandler } from './handlers/trigger-dispatcher.ts';
import type { EngineThreadData } from './local-engine-thread.ts';
import { liveBasicsOf } from './live.ts';
import { localPlatform } from './local.ts';
import { createStepwise, type Stepwise } from './stepwise.ts';
import { triggersOf } from './triggers.ts';
import { webhooksOf } from './webhooks.ts';

export interface LocalOptions {
  port: number;
  dataDir: string;
  version: string;
  /** Use an already-running DynamoDB Local (tests share one per run) instead of starting one. */
  dynamoEndpoint?: string | undefined;
  tableName?: string;
  /** Scales Wait states and retry intervals of local runs (1 = real time). */
  timeScale?: number;
  /**
   * The operator's settings (LOG_LEVEL, RATE_LIMIT_*, CHAT_ENGINE, …; bin/local.ts passes its
   * environment). Read, never written: the server's own settings (table, endpoint, ports) win.
   */
  settings?: Readonly<Record<string, string | undefined>>;
  onRequest?: Parameters<typeof createLocalApi>[0]['onRequest'];
  /** The local Postgres port (default STEPWISE_POSTGRES_PORT, else 5433; 0 picks a free one). */
  postgresPort?: number;
  /** The local object store's port (docs/api.md, "Local object store"); 0 or absent picks a free one. */
  objectStorePort?: number;
}

/** The bucket local ml_training writes model artifacts to, created with the store. */
export const LOCAL_MODEL_BUCKET = 'stepwise-models';

export interface LocalStepwise {
  readonly url: string;
  readonly dynamoEndpoint: string;
  /** The local S3-compatible store (path-style, any credentials). */
  readonly objectStoreEndpoint: string;
  /** This server's Stepwise (one per server: two servers in one process never share a service). */
  readonly stepwise: Stepwise;
  stop(): Promise<void>;
}

/**
 * Local mode: DynamoDB Local, the table from the shared definition, and the same handlers as the
 * Lambdas behind an API Gateway emulator on 127.0.0.1, every one built from this server's own
 * Stepwise over the local platform (docs/architecture.md#platforms).
 */
export async function startLocalStepwise(options: LocalOptions): Promise<LocalStepwise> {
  const dataDir = resolve(options.dataDir);
  const tableName = options.tableName ?? 'stepwise-local';
  const timeScale = options.timeScale ?? 1;
  // The API port is fixed before anything starts: workflow traffic is refused to it (reservedPorts below).
  const apiPort = options.port === 0 ? await freePort() : options.port;
  let dynamo: DynamoDbLocal | undefined;
  let stream: LocalTableStream | undefined;
  let scheduler: LocalScheduler | undefined;
  let webhooks: LocalWebhooks | undefined;
  let engine: LocalEngineWorker | undefined;
  let postgres: LocalPostgres | undefined;
  let objects: LocalObjectStore | undefined;
  const lock: DataDirLock = await lockDataDir(dataDir, { port: apiPort, log: (message) => console.warn(message) });
  try {
    const endpoint = options.dynamoEndpoint ?? (dynamo = await startDynamoDbLocal({ dataDir: join(dataDir, 'dynamodb') })).endpoint;
    await ensureLocalTable(endpoint, tableName);
    // Every account's `local` data source: the port opens now, PGlite boots on the first connection.
    postgres = await startLocalPostgres({ dataDir, port: options.postgresPort ?? postgresPortOf(options.settings), logger: createJsonLogger('warn') });
    objects = await startLocalObjectStore({ port: options.objectStorePort ?? 0, directory: join(dataDir, 's3'), buckets: [LOCAL_MODEL_BUCKET] });

    // Parsed once, like a Lambda's at cold start; the engine's thread parses the same record.
    const settings: Record<string, string | undefined> = {
      ...options.settings,
      PUBLIC_BASE_URL: `http://127.0.0.1:${apiPort}`,
      STEPWISE_STAGE: 'local',
      APP_VERSION: options.version,
      TABLE_NAME: tableName,
      DYNAMODB_ENDPOINT: endpoint,
      STEPWISE_DATA_DIR: dataDir,
      AWS_REGION: 'us-east-1',
      STEPWISE_RESERVED_PORTS: [...reservedPorts(apiPort, endpoint), postgres.port, objects.port].join(','),
      STEPWISE_LOCAL_POSTGRES_URL: postgres.url,
      S3_ENDPOINT: objects.endpoint,
      MODEL_BUCKET: LOCAL_MODEL_BUCKET,
    };
    const config: Config = parseConfig(settings);
    const logger = createJsonLogger(config.LOG_LEVEL);

    // The in-process stand-ins for EventBridge, SQS, Scheduler and Step Functions. Each calls back
    // into this server's Stepwise only when something arrives, after it exists.
    const bus = new LocalBus({ logger });
    const deliveryQueue = localDeliveryQueue({ dispatcher: () => webhooksOf(stepwise).dispatcher, logger });
    scheduler = new LocalScheduler({
      fire: async (f) => {
        await scheduledRun({ account_id: f.accountId, workflow_id: f.workflowId, scheduled_time: f.scheduledTime });
      },
      load: async () =>
        (await triggersOf(stepwise).store.schedules()).flatMap((s) =>
          s.trigger.type === 'schedule' ? [{ accountId: s.accountId, workflowId: s.workflowId, cron: s.trigger.cron, timezone: s.trigger.timezone, enabled: s.enabled }] : [],
        ),
      timeScale,
      logger,
    });
    engine = await LocalEngineWorker.start(
      { moduleUrl: new URL('./local-engine-thread.ts', import.meta.url).href, workerData: { settings, timeScale, journalDir: join(dataDir, 'engine') } satisfies EngineThreadData },
      logger,
    );
    const stepwise = createStepwise(config, localPlatform(config, { logger, timeScale, engine, bus, deliveryQueue, scheduler, path: settings.PATH }));
    const scheduledRun = scheduledRunHandler(stepwise);

    const handlers = Object.fromEntries(
      await Promise.all(
        RESOURCES.map(async (r) => [r, ((await import(`./handlers/${r}.ts`)) as { createHandler: (s: Stepwise) => HttpHandler }).createHandler(stepwise)] as const),
      ),
    ) as Record<Resource, HttpHandler>;
    const authorizer: LocalAuthorizer = authorizerHandler(stepwise);

    // Event triggers: the rule pattern the AWS stack deploys, delivering to the trigger dispatcher.
    const dispatchTriggers = triggerDispatcherHandler(stepwise);
    bus.subscribe('workflow-triggers', WORKFLOW_TRIGGER_EVENTS, async (event) => {
      await dispatchTriggers({ detail: event.detail as DomainEvent });
    });
    // Webhook delivery: the same dispatcher as AWS on the in-process queue; pending retries resume from the table.
    webhooks = await attachLocalWebhooks(bus, deliveryQueue, { dispatcher: () => webhooksOf(stepwise).dispatcher, timeScale, logger });
    // Domain events and counter moves: the table's change stream → the event-stream handler → the bus, as on AWS.
    // Its positions are kept in the data dir, so a restart (after a crash too) delivers what the last run left unread.
    stream = await startLocalTableStream({ endpoint, tableName, handler: eventStreamHandler(stepwise), filter: (record) => isEventSourceRecord(record), logger, positionsFile: join(dataDir, 'stream', `${tableName}.json`) });
    // Schedule triggers: rebuilt from the stored schedules, time-scaled like the engine.
    await scheduler.start();
    const { anonymous, windowSeconds } = config.rateLimits;
    // The web console at / on the same port (docs/deploy.md#console).
    const consoleSite = consoleAssets(fileURLToPath(new URL(`../../${CONSOLE_DIST_DIR}`, import.meta.url)));
    const server = createLocalApi({ handlers, authorizer, anonymousLimit: { anonymous, windowSeconds }, console: consoleSite, onRequest: options.onRequest });
    // Live updates: WebSocket upgrades on the same port, fed by the bus.
    const live = attachLocalLive(server, bus, { deps: async () => liveBasicsOf(stepwise), logger });
    await new Promise<void>((res, rej) => {
      server.once('error', rej);
      server.listen(apiPort, '127.0.0.1', () => res());
    });
    const { port } = server.address() as AddressInfo;
    const runningEngine = engine;
    const runningScheduler = scheduler;
    const runningPostgres = postgres;
    const runningObjects = objects;
    return {
      url: `http://127.0.0.1:${port}`,
      dynamoEndpoint: endpoint,
      objectStoreEndpoint: objects.endpoint,
      stepwise,
      async stop() {
        live.close();
        server.closeAllConnections();
        await new Promise<void>((res) => server.close(() => res()));
        await runningScheduler.stop();
        // Runs in progress stay as they are; the next start on this data dir resumes them (engine-worker.ts).
        await runningEngine.close();
        // What the runs wrote last still becomes events, and their deliveries finish, before the table goes.
        await stream?.stop({ drain: true });
        await bus.drain();
        await webhooks?.stop();
        await runningPostgres.stop();
        await runningObjects.stop();
        await dynamo?.stop();
        lock.release();
      },
    };
  } catch (error) {
    await webhooks?.stop();
    await scheduler?.stop();
    await engine?.close();
    await stream?.stop();
    await postgres?.stop();
    await objects?.stop();
    await dynamo?.stop();
    lock.release();
    throw error;
  }
}

/**
 * Stepwise's own loopback ports, which workflow and webhook traffic may never reach (docs/api.md,
 * "SSRF guard"): the API and DynamoDB Local (it has no authentication: every tenant's items). The
 * local Postgres and the local object store join them where the server starts them (neither has authentication).
 */
function postgresPortOf(settings: Readonly<Record<string, string | undefined>> | undefined): number {
  const raw = settings?.STEPWISE_POSTGRES_PORT;
  if (raw === undefined || raw === '') return DEFAULT_LOCAL_POSTGRES_PORT;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error('Invalid Stepwise configuration: STEPWISE_POSTGRES_PORT: must be a port number (0 picks a free one)');
  return port;
}

export function reservedPorts(apiPort: number, dynamoEndpoint: string): number[] {
  const ports = new Set([apiPort]);
  const dynamo = new URL(dynamoEndpoint);
  if (['127.0.0.1', 'localhost', '[::1]'].includes(dynamo.hostname) || dynamo.hostname.startsWith('127.')) {
    ports.add(dynamo.port === '' ? (dynamo.protocol === 'https:' ? 443 : 80) : Number(dynamo.port));
  }
  return [...ports];
}
