import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { isEventSourceRecord } from '../../../lib/definitions/change-stream.ts';
import { RESOURCES, type Resource } from '../../../lib/definitions/routes.ts';
import type { HttpHandler } from '../../http/pipeline.ts';
import { createLocalApi, type LocalAuthorizer } from './api-gateway-server.ts';
import { lockDataDir, type DataDirLock } from './data-dir-lock.ts';
import { freePort, startDynamoDbLocal, type DynamoDbLocal } from './dynamodb-local.ts';
import { ensureTable } from './table-setup.ts';
import { registerLocalEngine } from './engine-registry.ts';
import { registerLocalBus } from './bus-registry.ts';
import { LocalBus } from './local-bus.ts';
import { attachLocalLive } from './local-live.ts';
import { LocalTableStream } from './local-table-stream.ts';
import { attachLocalTriggers, startLocalScheduler, stopLocalScheduler } from './local-triggers.ts';
import { attachLocalWebhooks, type LocalWebhooks } from './local-webhooks.ts';
import type { LocalScheduler } from './local-scheduler.ts';
import { LocalEngineWorker } from './engine-worker.ts';
import { LocalExecutionEngine } from './local-execution-engine.ts';

export interface LocalOptions {
  port: number;
  dataDir: string;
  version: string;
  /** Use an already-running DynamoDB Local (tests share one per run) instead of starting one. */
  dynamoEndpoint?: string | undefined;
  tableName?: string;
  /** Scales Wait states and retry intervals of local runs (1 = real time). */
  timeScale?: number;
  onRequest?: Parameters<typeof createLocalApi>[0]['onRequest'];
}

export interface LocalStepwise {
  readonly url: string;
  readonly dynamoEndpoint: string;
  stop(): Promise<void>;
}

/**
 * Local mode: DynamoDB Local, the table from the shared definition, and the same Lambda handlers
 * behind an API Gateway emulator on 127.0.0.1.
 */
export async function startLocalStepwise(options: LocalOptions): Promise<LocalStepwise> {
  const dataDir = resolve(options.dataDir);
  const tableName = options.tableName ?? 'stepwise-local';
  // The API port is fixed before anything starts: workflow traffic is refused to it (reservedPorts below).
  const apiPort = options.port === 0 ? await freePort() : options.port;
  let dynamo: DynamoDbLocal | undefined;
  let stream: LocalTableStream | undefined;
  let scheduler: LocalScheduler | undefined;
  let webhooks: LocalWebhooks | undefined;
  const lock: DataDirLock = await lockDataDir(dataDir, { port: apiPort, log: (message) => console.warn(message) });
  try {
    const endpoint = options.dynamoEndpoint ?? (dynamo = await startDynamoDbLocal({ dataDir: join(dataDir, 'dynamodb') })).endpoint;
    const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    await ensureTable(client, tableName);
    client.destroy();

    // The handlers read their configuration at import (cold start), exactly as in Lambda.
    const publicUrl = `http://127.0.0.1:${apiPort}`;
    Object.assign(process.env, {
      PUBLIC_BASE_URL: publicUrl,
      STEPWISE_MODE: 'local',
      STEPWISE_STAGE: 'local',
      APP_VERSION: options.version,
      TABLE_NAME: tableName,
      DYNAMODB_ENDPOINT: endpoint,
      STEPWISE_DATA_DIR: dataDir,
      AWS_REGION: 'us-east-1',
      STEPWISE_RESERVED_PORTS: reservedPorts(apiPort, endpoint).join(','),
    });
    const handlers = Object.fromEntries(
      await Promise.all(
        RESOURCES.map(async (r) => [r, ((await import(`../../${r}/handler.ts`)) as { handler: HttpHandler }).handler] as const),
      ),
    ) as Record<Resource, HttpHandler>;

    const { handler: authorizer } = (await import('../../authorizer/handler.ts')) as { handler: LocalAuthorizer };
    const engine = await startEngine(options.timeScale ?? 1, join(dataDir, 'engine'));
    // Domain events: the table's change stream → the event-stream handler → this bus, as on AWS.
    const bus = new LocalBus({ logger: { error: (message, fields) => console.error(message, fields ?? {}) } });
    registerLocalBus(bus);
    attachLocalTriggers(bus);
    // Webhook delivery: the same dispatcher as AWS on an in-process queue; pending retries resume from the table.
    webhooks = await attachLocalWebhooks(bus, { timeScale: options.timeScale ?? 1, logger: { error: (message, fields) => console.error(message, fields ?? {}) } });
    stream = await startTableStream(endpoint, tableName);
    // Schedule triggers: rebuilt from the stored schedules, time-scaled like the engine.
    scheduler = await startLocalScheduler(options.timeScale ?? 1);
    // Imported here, after the environment above is set: the container reads it once.
    const { anonymous, windowSeconds } = (await import('../container.ts')).container().config.rateLimits;
    const server = createLocalApi({ handlers, authorizer, anonymousLimit: { anonymous, windowSeconds }, onRequest: options.onRequest });
    // Live updates: WebSocket upgrades on the same port, fed by the bus.
    const live = attachLocalLive(server, bus);
    await new Promise<void>((res, rej) => {
      server.once('error', rej);
      server.listen(apiPort, '127.0.0.1', () => res());
    });
    const { port } = server.address() as AddressInfo;
    return {
      url: `http://127.0.0.1:${port}`,
      dynamoEndpoint: endpoint,
      async stop() {
        live.close();
        server.closeAllConnections();
        await new Promise<void>((res) => server.close(() => res()));
        await stopLocalScheduler(scheduler);
        // Runs in progress stay as they are; the next start on this data dir resumes them (engine-worker.ts).
        await engine.close();
        registerLocalEngine(undefined);
        // What the runs wrote last still becomes events, and their deliveries finish, before the table goes.
        await stream?.stop({ drain: true });
        await bus.drain();
        await webhooks?.stop();
        registerLocalBus(undefined);
        await dynamo?.stop();
        lock.release();
      },
    };
  } catch (error) {
    await webhooks?.stop();
    await stopLocalScheduler(scheduler);
    await stream?.stop();
    await dynamo?.stop();
    lock.release();
    throw error;
  }
}

/**
 * Stepwise's own loopback ports, which workflow and webhook traffic may never reach (docs/api.md,
 * "SSRF guard"): the API and DynamoDB Local (it has no authentication: every tenant's items). The
 * local stores that come later (an S3-compatible store, an embedded Postgres) join this list.
 */
export function reservedPorts(apiPort: number, dynamoEndpoint: string): number[] {
  const ports = new Set([apiPort]);
  const dynamo = new URL(dynamoEndpoint);
  if (['127.0.0.1', 'localhost', '[::1]'].includes(dynamo.hostname) || dynamo.hostname.startsWith('127.')) {
    ports.add(dynamo.port === '' ? (dynamo.protocol === 'https:' ? 443 : 80) : Number(dynamo.port));
  }
  return [...ports];
}

/** Local mode's event source mapping: polls the table's stream and calls the same handler AWS invokes. */
async function startTableStream(endpoint: string, tableName: string): Promise<LocalTableStream> {
  const { handler } = await import('../../event-stream/handler.ts');
  const settings = { endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
  const stream = new LocalTableStream({
    dynamo: new DynamoDBClient(settings),
    streams: new DynamoDBStreamsClient(settings),
    tableName,
    handler,
    filter: (record) => isEventSourceRecord(record),
    ownsClients: true,
    logger: { error: (message, fields) => console.error(message, fields ?? {}) },
  });
  await stream.start();
  return stream;
}

/**
 * The local engine runs each workflow's compiled ASL with every runner Task bound to the same
 * task-runner code, and feeds its status events to the same execution-events handler AWS invokes, in a
 * thread of its own (engine-worker.ts) so no run can hold up the API.
 */
async function startEngine(timeScale: number, journalDir: string): Promise<LocalEngineWorker> {
  const [{ container }, { DynamoWorkflowRepository }] = await Promise.all([import('../container.ts'), import('../dynamodb/workflow-repository.ts')]);
  const workflows = new DynamoWorkflowRepository(container().db, container().config.TABLE_NAME);
  const engine = await LocalEngineWorker.start({ timeScale, journalDir });
  registerLocalEngine(
    new LocalExecutionEngine(engine, async (accountId, workflowId, version) => {
      const found = await workflows.version(accountId, workflowId, version);
      if (!found) throw new Error(`Workflow ${workflowId} version ${version} has no stored definition`);
      return found.asl;
    }),
  );
  return engine;
}
