import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../../functions/adapters/dynamodb/client.ts';
import { keys } from '../../functions/adapters/dynamodb/keys.ts';
import { DynamoDeliveryRepository } from '../../functions/adapters/dynamodb/delivery-repository.ts';
import { DynamoWebhookRepository } from '../../functions/adapters/dynamodb/webhook-repository.ts';
import { LocalBus } from '../../functions/adapters/local/local-bus.ts';
import { LocalDeliveryQueue } from '../../functions/adapters/local/local-webhooks.ts';
import { ensureTable } from '../../functions/adapters/local/table-setup.ts';
import { GuardedHttpClient } from '../../functions/adapters/net/guarded-http-client.ts';
import { systemClock } from '../../functions/core/clock.ts';
import type { DomainEvent } from '../../functions/core/events/catalog.ts';
import { newId } from '../../functions/core/ids.ts';
import { signedHeaders, WebhookDispatcher } from '../../functions/core/webhooks/dispatcher.ts';
import { generateWebhookSecret } from '../../functions/core/webhooks/secrets.ts';
import type { Webhook } from '../../functions/core/webhooks/webhook.ts';
import { ALL_DOMAIN_EVENTS } from '../../lib/definitions/event-patterns.ts';
import { signIn } from './api-client.ts';
import { startServer } from './local-server.ts';
import { fmt, percentile } from './stats.ts';

const WARMUP = 20;
const RUNS = 300;
const BURST = 2_000;
const RAW_CONCURRENCY = 64;
/** The local queue's default maxInFlight: the table-call reference runs as wide as the dispatcher does. */
const QUEUE_IN_FLIGHT = 100;
const E2E_RUNS = 60;

/** A loopback receiver that answers 204 at once and resolves whoever waits for a given key. */
class Receiver {
  private server!: Server;
  private readonly waiting = new Map<string, () => void>();
  private readonly seen = new Set<string>();
  count = 0;
  url = '';

  constructor(private readonly keyOf: (body: string) => string) {}

  async start() {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        res.writeHead(204).end();
        this.count++;
        const key = this.keyOf(Buffer.concat(chunks).toString('utf8'));
        this.seen.add(key);
        this.waiting.get(key)?.();
      });
    });
    // Keep-alive sockets from several clients at once; the default backlog is plenty for loopback.
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', () => r()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }

  waitFor(key: string): Promise<void> {
    if (this.seen.has(key)) return Promise.resolve();
    return new Promise((resolve) => this.waiting.set(key, resolve));
  }

  async stop() {
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }
}

const stats = (samples: number[]) => {
  const sorted = samples.toSorted((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
};

async function sample(runs: number, op: (i: number) => Promise<void>): Promise<{ p50: number; p99: number }> {
  for (let i = 0; i < WARMUP; i++) await op(-1 - i);
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await op(i);
    samples.push(performance.now() - started);
  }
  return stats(samples);
}

/**
 * Webhook delivery, locally. In process: an event published on the local bus until the loopback
 * receiver has the signed POST — the bus rule, the queue, the fan-out (one Query), the delivery
 * item created already claimed (one conditional Put), the request and the record (one more Put)
 * against DynamoDB Local — next to the floor, a raw signed POST to the same receiver through the
 * same client. Then a burst of events, sustained deliveries a second next to raw signed POSTs and
 * to the dispatcher's own table calls issued raw. Last,
 * the whole path on a local server: POST /tasks until the receiver has `task.created`, which adds
 * the change stream (polled every 100 ms when idle) and the event-stream handler.
 */
export async function benchWebhooks(dynamoEndpoint: string): Promise<string> {
  const tableName = `bench-webhooks-${Date.now()}`;
  const raw = new DynamoDBClient({ endpoint: dynamoEndpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  await ensureTable(raw, tableName);
  raw.destroy();
  const db = createDocumentClient({ region: 'us-east-1', endpoint: dynamoEndpoint });
  const receiver = new Receiver((body) => String((JSON.parse(body) as { id?: string; data?: { task_id?: string } }).data?.task_id ?? (JSON.parse(body) as { id: string }).id));
  await receiver.start();
  const http = new GuardedHttpClient({ policy: { allowLoopback: true }, maxRedirects: 0 });
  const webhooks = new DynamoWebhookRepository(db, tableName);
  const deliveries = new DynamoDeliveryRepository(db, tableName);
  let dispatcher!: WebhookDispatcher;
  const queue = new LocalDeliveryQueue((message) => dispatcher.handle(message));
  dispatcher = new WebhookDispatcher({ webhooks, deliveries, queue, http, clock: systemClock });
  const bus = new LocalBus();
  bus.subscribe('webhook-deliveries', ALL_DOMAIN_EVENTS, (event) => queue.send([{ message: { kind: 'event', event: event.detail as DomainEvent }, delayMs: 0 }]));
  try {
    const accountId = newId('account');
    const at = new Date().toISOString();
    const hook: Webhook = {
      id: newId('webhook'),
      accountId,
      url: receiver.url,
      events: ['*'],
      description: null,
      enabled: true,
      disabledReason: null,
      disabledAt: null,
      failingSince: null,
      secret: generateWebhookSecret(),
      previousSecret: null,
      createdAt: at,
      updatedAt: at,
      version: 1,
    };
    await webhooks.create(hook, 50);
    const event = (): DomainEvent => ({ id: newId('event'), event: 'task.created', timestamp: new Date().toISOString(), account_id: accountId, data: { task_id: newId('task'), name: 'bench', status: 'pending' } });
    const rawPost = async () => {
      const e = event();
      const body = JSON.stringify(e);
      const res = await http.request({ method: 'POST', url: receiver.url, headers: signedHeaders(hook, `dlv_${e.id.slice(4)}`, body, new Date()), body, timeoutMs: 15_000, maxResponseBytes: 1024 });
      if (res.status !== 204) throw new Error(`receiver answered ${res.status}`);
    };

    const rawLatency = await sample(RUNS, rawPost);
    const dispatchLatency = await sample(RUNS, async () => {
      const e = event();
      const got = receiver.waitFor(e.data.task_id as string);
      await bus.publish([e]);
      await got;
    });

    // Sustained: a burst of events, every delivery made (and recorded) before the clock stops.
    const rawBurstStarted = performance.now();
    let issued = 0;
    await Promise.all(
      Array.from({ length: RAW_CONCURRENCY }, async () => {
        while (issued++ < BURST) await rawPost();
      }),
    );
    const rawPerSecond = BURST / ((performance.now() - rawBurstStarted) / 1000);
    // The dispatcher's own table calls per delivery, issued raw: the fan-out Query, the create Put, the record Put.
    const callsStarted = performance.now();
    let called = 0;
    await Promise.all(
      Array.from({ length: QUEUE_IN_FLIGHT }, async () => {
        for (let n = called++; n < BURST; n = called++) {
          await db.send(new QueryCommand({ TableName: tableName, KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)', ExpressionAttributeValues: { ':pk': keys.accountPrefix(accountId), ':sk': keys.webhookPrefix } }));
          const item = { ...keys.webhookDelivery(accountId, hook.id, `dlv_raw_${n}`), body: JSON.stringify(event()), revision: 1 };
          await db.send(new PutCommand({ TableName: tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }));
          await db.send(new PutCommand({ TableName: tableName, Item: { ...item, revision: 2 }, ConditionExpression: 'revision = :r', ExpressionAttributeValues: { ':r': 1 } }));
        }
      }),
    );
    const callsPerSecond = BURST / ((performance.now() - callsStarted) / 1000);
    const events = Array.from({ length: BURST }, event);
    const burstStarted = performance.now();
    const all = Promise.all(events.map((e) => receiver.waitFor(e.data.task_id as string)));
    await bus.publish(events);
    await all;
    await queue.drain();
    const deliveredPerSecond = BURST / ((performance.now() - burstStarted) / 1000);
    // Every delivery of the run, the latency phase's included, is recorded as delivered.
    const recorded = (await deliveries.list(accountId, hook.id, { status: 'delivered' }, { limit: 1, offset: 0, cursor: undefined })).total;
    const expected = BURST + RUNS + WARMUP;

    // The whole path on a local server: the API write, the change stream, the bus, delivery.
    const server = await startServer(dynamoEndpoint);
    let e2e: { p50: number; p99: number };
    let apiOnly: { p50: number; p99: number };
    try {
      const { call } = await signIn(server.url, 'benchhooks');
      apiOnly = await sample(E2E_RUNS, async () => void (await call('POST', '/api/v1/tasks', { name: 'no webhook yet' })));
      await call('POST', '/api/v1/webhooks', { url: `${receiver.url}/e2e`, events: ['task.created'] });
      e2e = await sample(E2E_RUNS, async () => {
        const task = await call('POST', '/api/v1/tasks', { name: 'bench' });
        await receiver.waitFor(String(task.id));
      });
    } finally {
      await server.stop();
    }

    return [
      '## Webhooks: event to signed delivery',
      '',
      `A loopback receiver answering 204 at once; one webhook subscribed to every event. In process: publish on the local bus → in-process queue → dispatcher (fan-out Query, claimed delivery Put, signed POST, record Put against DynamoDB Local) → receiver; the reference is a raw signed POST through the same SSRF-guarded client. p50/p99 of ${RUNS} sequential events after ${WARMUP} warm-up. Sustained: ${BURST.toLocaleString('en')} events published at once (the local queue consumes 100 at a time, as SQS with 10 × 10 does on AWS), until the last is received; the references are ${BURST.toLocaleString('en')} raw signed POSTs, ${RAW_CONCURRENCY} at a time, and ${BURST.toLocaleString('en')} times the dispatcher's three table calls issued raw, ${QUEUE_IN_FLIGHT} at a time. Recorded as delivered afterwards: ${recorded.toLocaleString('en')} of ${expected.toLocaleString('en')} (${recorded === expected ? 'all' : '**not all**'}). Through the API: \`POST /api/v1/tasks\` on a local server until the receiver has its \`task.created\`, ${E2E_RUNS} in a row, next to the same POST with no webhook.`,
      '',
      '| path | p50 ms | p99 ms |',
      '|---|---:|---:|',
      `| raw signed POST to the receiver (reference) | ${fmt(rawLatency.p50, 2)} | ${fmt(rawLatency.p99, 2)} |`,
      `| event on the bus → delivered (dispatch path) | ${fmt(dispatchLatency.p50, 2)} | ${fmt(dispatchLatency.p99, 2)} |`,
      `| \`POST /api/v1/tasks\` alone (reference) | ${fmt(apiOnly.p50, 1)} | ${fmt(apiOnly.p99, 1)} |`,
      `| \`POST /api/v1/tasks\` → \`task.created\` delivered (API, change stream, bus, dispatch) | ${fmt(e2e.p50, 1)} | ${fmt(e2e.p99, 1)} |`,
      '',
      '| sustained | per second | vs reference |',
      '|---|---:|---:|',
      `| raw signed POSTs, ${RAW_CONCURRENCY} at a time (reference) | ${fmt(rawPerSecond, 0)} | 1× |`,
      `| raw Query + Put + Put (the dispatcher's table calls), ${QUEUE_IN_FLIGHT} at a time (reference) | ${fmt(callsPerSecond, 0)} | ${fmt(callsPerSecond / rawPerSecond, 2)}× |`,
      `| deliveries from a burst of ${BURST.toLocaleString('en')} events | ${fmt(deliveredPerSecond, 0)} | ${fmt(deliveredPerSecond / rawPerSecond, 2)}× (${fmt((100 * deliveredPerSecond) / callsPerSecond, 0)} % of its table calls raw) |`,
      '',
      `- The dispatch path costs ${fmt(dispatchLatency.p50 - rawLatency.p50, 1)} ms over the bare POST at the median: three DynamoDB Local round trips (Query, claimed create, record) and the queue hop; on AWS add the bus rule and SQS (tens of ms) but no polling.`,
      `- Sustained delivery is bound by the table, not by HTTP: it follows the raw table-call row, not the raw POST row. DynamoDB Local (one Java process on this machine) is far slower than DynamoDB, where those calls take single-digit milliseconds and the dispatcher scales out with SQS.`,
      `- Through the API, delivery adds ${fmt(e2e.p50 - apiOnly.p50, 0)} ms at the median to the task write itself: local mode polls the table's stream every 100 ms when idle (on AWS the event source mapping polls continuously), then the event-stream handler, the bus and the dispatch path.`,
      '',
    ].join('\n');
  } finally {
    await queue.stop();
    http.close();
    await receiver.stop();
    db.destroy();
  }
}
