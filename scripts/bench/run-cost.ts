import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../../functions/adapters/dynamodb/client.ts';
import { keys } from '../../functions/adapters/dynamodb/keys.ts';
import { StreamChanges } from '../../functions/adapters/dynamodb/stream-changes.ts';
import { CHANGE_MAPPERS, ITEM_DECODERS } from '../../functions/adapters/dynamodb/event-sources.ts';
import { matches } from '../../functions/adapters/local/local-bus.ts';
import { LocalTableStream } from '../../functions/adapters/local/local-table-stream.ts';
import { busSourceOf, type BusEventType } from '../../functions/core/events/catalog.ts';
import { ChangeFeed } from '../../functions/core/events/change-feed.ts';
import { isEventSourceRecord } from '../../lib/definitions/change-stream.ts';
import { ALL_DOMAIN_EVENTS, LIVE_UPDATE_EVENTS, WORKFLOW_TRIGGER_EVENTS, type BusPattern } from '../../lib/definitions/event-patterns.ts';
import { stageConfig } from '../../lib/stage-config.ts';
import { compileWorkflow } from '../../statemachines/compile/compile.ts';
import { parseWorkflow } from '../../statemachines/parse.ts';
import { signIn } from './api-client.ts';
import { runCounted } from './asl-run.ts';
import { meterDelta, startDynamoMeter, type MeterCounts } from './dynamo-meter.ts';
import { startServer } from './local-server.ts';
import { fmt } from './stats.ts';

const RUNS = 30;
const CONCURRENCY = 3;
const LOCAL_TABLE = 'stepwise-local';

/**
 * us-east-1 list prices in USD (2025), free tiers ignored. Change them here; every figure below
 * is recomputed from the measured counts.
 */
const PRICES = {
  /** Step Functions Standard, per state transition. */
  transition: 0.025 / 1_000,
  lambdaRequest: 0.2 / 1_000_000,
  /** arm64. */
  lambdaGbSecond: 0.0000133334,
  /** DynamoDB on-demand. */
  writeUnit: 0.625 / 1_000_000,
  readUnit: 0.125 / 1_000_000,
  /** Custom events put on a bus (AWS service events, such as Step Functions' status changes, are free). */
  busEvent: 1 / 1_000_000,
  sqsRequest: 0.4 / 1_000_000,
  /** REST API, per request. */
  apiRequest: 3.5 / 1_000_000,
};

/**
 * This section's figures for the 10-node DAG before the runner's journal was reworked (docs/benchmarks.md
 * as generated on main at 0ba96a7): what the current run is compared with.
 */
const BEFORE = { writeUnits: 219.1, readUnits: 21.3, calls: 'UpdateItem 48.0, Query 47.0, GetItem 25.8, BatchWriteItem 13.0, TransactWriteItems 3.8' } as const;

export interface RunCostInput {
  dynamoEndpoint: string;
  /** The workflow as `POST /workflows` takes it. */
  workflow: { name: string; tasks: unknown[] };
  /** Billed duration assumed per invocation: the task runner's own, measured in the same run. */
  runnerMs: number;
  otherMs: number;
}

/**
 * What one run of a workflow costs on AWS, from counts measured on the local stack: state
 * transitions counted in aws-local-stepfunctions on the compiled machine; DynamoDB request units
 * reported by DynamoDB Local for every call the server made (through a metering proxy), idle
 * background traffic subtracted; stream batches as the server's poller read them; domain and
 * internal events by passing the same stream's records through the change feed; and the Lambda invocations
 * that follow from those counts and the bus rules' patterns.
 */
export async function measureRunCost(input: RunCostInput): Promise<string[]> {
  const compiled = compileWorkflow(parsedIr(input.workflow), { taskRunnerArn: 'arn:aws:lambda:us-east-1:123456789012:function:stepwise-prod-task-runner', workflowId: 'wf_cost', accountId: 'acct_cost' });
  if (!compiled.ok) throw new Error(`cost workflow does not compile: ${JSON.stringify(compiled.issues)}`);
  const { transitions } = await runCounted(compiled, {}, 'cost', async () => undefined);

  const changes = new StreamChanges(ITEM_DECODERS);
  const feed = new ChangeFeed(CHANGE_MAPPERS);
  const events = new Map<BusEventType, number>();
  let countEvents = false;
  const meter = await startDynamoMeter(input.dynamoEndpoint);
  const server = await startServer(meter.endpoint);
  // A second reader of the server's table stream (reading does not consume), feeding the same change feed the event-stream function runs.
  const settings = { endpoint: input.dynamoEndpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
  const stream = new LocalTableStream({
    dynamo: new DynamoDBClient(settings),
    streams: new DynamoDBStreamsClient(settings),
    tableName: LOCAL_TABLE,
    filter: (record) => isEventSourceRecord(record),
    ownsClients: true,
    logger: { error: (message, fields) => console.error(message, fields ?? {}) },
    handler: async (event) => {
      if (!countEvents) return;
      for (const record of event.Records) {
        const change = changes.changeOf(record);
        for (const e of change ? feed.eventsOf(change) : []) events.set(e.event, (events.get(e.event) ?? 0) + 1);
      }
    },
  });
  await stream.start();
  const direct = createDocumentClient({ region: 'us-east-1', endpoint: input.dynamoEndpoint });
  try {
    const client = await signIn(server.url, 'benchcost');
    const workflowId = String((await client.call('POST', '/api/v1/workflows', input.workflow)).id);
    // Completion is watched in the table directly (not metered), so polling costs nothing here.
    const runToEnd = async () => {
      const run = await client.call('POST', `/api/v1/workflows/${workflowId}/run`, { input: {} });
      const executionId = String(run.execution_id);
      for (;;) {
        const { Item } = await direct.send(new GetCommand({ TableName: LOCAL_TABLE, Key: keys.execution(client.accountId, executionId), ProjectionExpression: '#s', ExpressionAttributeNames: { '#s': 'status' } }));
        if (Item?.status === 'completed') return executionId;
        if (Item && Item.status !== 'running' && Item.status !== 'pending') throw new Error(`cost run ${executionId} ended ${String(Item.status)}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    for (let i = 0; i < 3; i += 1) await runToEnd();
    await settled(meter);

    const idleStart = meter.counts();
    const idleFrom = performance.now();
    await new Promise((r) => setTimeout(r, 3_000));
    const idle = meterDelta(meter.counts(), idleStart);
    const idleSeconds = (performance.now() - idleFrom) / 1000;

    countEvents = true;
    const before = meter.counts();
    const from = performance.now();
    const ids: string[] = [];
    let next = 0;
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      while (next < RUNS) {
        next += 1;
        ids.push(await runToEnd());
      }
    }));
    await settled(meter);
    const busy = meterDelta(meter.counts(), before);
    const seconds = (performance.now() - from) / 1000;
    countEvents = false;
    const scale = seconds / idleSeconds;
    const perRun = (n: number, idleN: number) => Math.max(0, n - idleN * scale) / RUNS;

    let attempts = 0;
    for (const id of ids) {
      const tasks = (await client.call('GET', `/api/v1/executions/${id}/tasks`)) as { tasks?: Array<{ retry_count?: number; status: string }> };
      for (const t of tasks.tasks ?? []) if (t.status === 'completed') attempts += 1 + (t.retry_count ?? 0);
    }

    const readUnits = perRun(busy.readUnits, idle.readUnits);
    const nodes = input.workflow.tasks.length;
    const writeUnits = perRun(busy.writeUnits, idle.writeUnits);
    const streamBatches = perRun(busy.streamBatches, idle.streamBatches);
    const eventsPerRun = (pattern: BusPattern) => [...events].filter(([type]) => matchesType(pattern, type)).reduce((sum, [, n]) => sum + n, 0) / RUNS;
    const domainEvents = eventsPerRun(ALL_DOMAIN_EVENTS);
    const allEvents = [...events.values()].reduce((a, b) => a + b, 0) / RUNS;
    const liveEvents = eventsPerRun(LIVE_UPDATE_EVENTS);
    const triggerEvents = eventsPerRun(WORKFLOW_TRIGGER_EVENTS);
    const runnerCalls = attempts / RUNS;
    const statusEvents = 2;
    const memoryGb = stageConfig('prod').lambda.memorySize / 1024;

    // Invocations per run, function by function (webhook dispatcher: one per message, the worst case of its batches of 10).
    const invocations: Array<[string, number, number]> = [
      ['task-runner (one per attempt)', runnerCalls, input.runnerMs],
      ['execution-events (RUNNING, SUCCEEDED)', statusEvents, input.otherMs],
      ['event-stream (stream batches read)', streamBatches, input.otherMs],
      ['live-notifier (rule: live update events)', liveEvents, input.otherMs],
      ['trigger-dispatcher (rule: every domain event)', triggerEvents, input.otherMs],
      ['webhook-dispatcher (rule → SQS, every domain event)', domainEvents, input.otherMs],
    ];
    const lambdaRequests = invocations.reduce((s, [, n]) => s + n, 0);
    const gbSeconds = invocations.reduce((s, [, n, ms]) => s + (n * Math.ceil(ms) * memoryGb) / 1000, 0);
    const lines: Array<[string, string, number]> = [
      ['Step Functions state transitions', `${fmt(transitions, 0)} (compiler's estimate: ${compiled.stats.transitions.fixed})`, transitions * PRICES.transition],
      ['Lambda requests', fmt(lambdaRequests, 1), lambdaRequests * PRICES.lambdaRequest],
      [`Lambda duration at ${stageConfig('prod').lambda.memorySize} MB arm64`, `${fmt(gbSeconds, 3)} GB-s`, gbSeconds * PRICES.lambdaGbSecond],
      ['DynamoDB write request units', fmt(writeUnits, 1), writeUnits * PRICES.writeUnit],
      ['DynamoDB read request units', fmt(readUnits, 1), readUnits * PRICES.readUnit],
      ['EventBridge custom events (domain + internal)', fmt(allEvents, 1), allEvents * PRICES.busEvent],
      ['SQS requests (send, receive, delete per domain event)', fmt(domainEvents * 3, 1), domainEvents * 3 * PRICES.sqsRequest],
      ['API Gateway request (`POST …/run`)', '1', PRICES.apiRequest],
    ];
    const total = lines.reduce((s, [, , usd]) => s + usd, 0);
    const eventList = [...events].toSorted((a, b) => b[1] - a[1]).map(([type, n]) => `${type} ${fmt(n / RUNS, 1)}`).join(', ');
    // Per run, idle traffic subtracted, most first.
    const listPerRun = (busyCounts: Readonly<Record<string, number>>, idleCounts: Readonly<Record<string, number>>, keep: (name: string, n: number) => boolean) =>
      Object.entries(busyCounts)
        .map(([name, n]) => [name, perRun(n, idleCounts[name] ?? 0)] as const)
        .filter(([name, n]) => keep(name, n))
        .toSorted((a, b) => b[1] - a[1])
        .map(([name, n]) => `${name} ${fmt(n, 1)}`)
        .join(', ');
    const callList = listPerRun(busy.calls, idle.calls, (op) => !op.startsWith('Describe') && op !== 'GetRecords' && op !== 'GetShardIterator');
    const targetList = listPerRun(busy.targets, idle.targets, (_, n) => n >= 0.5);
    return [
      '| Lambda function | invocations per run | billed ms each |',
      '|---|---:|---:|',
      ...invocations.map(([fn, n, ms]) => `| ${fn} | ${fmt(n, 1)} | ${fmt(Math.ceil(ms), 0)} |`),
      '',
      '| per run (measured) | count | USD per 1,000 runs |',
      '|---|---:|---:|',
      ...lines.map(([what, count, usd]) => `| ${what} | ${count} | ${fmt(usd * 1_000, 4)} |`),
      `| **total** | | **${fmt(total * 1_000, 3)}** |`,
      '',
      `- Measured over ${RUNS} runs (${CONCURRENCY} at a time) through the API on a local server whose every DynamoDB call went through a metering proxy that asks DynamoDB Local for \`ConsumedCapacity\`; background traffic measured while idle (${fmt(idle.readUnits / idleSeconds, 2)} RRU/s, ${fmt(idle.writeUnits / idleSeconds, 2)} WRU/s) is subtracted. Table calls per run: ${callList}; by the kind of item they name (a Query by its index and key): ${targetList}.`,
      `- Per node (${nodes} nodes a run): ${fmt(writeUnits / nodes, 1)} WRU and ${fmt(readUnits / nodes, 1)} RRU of the run's table traffic, everything included (start, runner, settling, API reads); before the runner's journal was reworked this section measured ${fmt(BEFORE.writeUnits, 1)} WRU (${fmt(BEFORE.writeUnits / nodes, 1)} a node) and ${fmt(BEFORE.readUnits, 1)} RRU a run, with table calls ${BEFORE.calls}.`,
      `- Events per run, from the stream records the poller read, passed through the same change feed the event-stream function runs: ${eventList}. Each is one custom event on the bus; the bus rules' patterns (lib/definitions/event-patterns.ts) decide which functions they invoke.`,
      `- Lambda durations: the task runner is billed at its measured time (${fmt(input.runnerMs)} ms p50 against DynamoDB Local, above); every other invocation at ${fmt(input.otherMs)} ms, the runner's own overhead, as they make one to three table calls each. DynamoDB answers in single-digit ms on AWS, so these overstate.`,
      `- Most invocations are fan-out of events nobody may be listening to: the live-notifier, trigger-dispatcher and webhook-dispatcher rules take every matching event and look for subscribers (connections, event triggers, webhooks) inside the function. They cost ${fmt(((liveEvents + triggerEvents + domainEvents) * PRICES.lambdaRequest + ((liveEvents + triggerEvents + domainEvents) * Math.ceil(input.otherMs) * memoryGb) / 1000 * PRICES.lambdaGbSecond + domainEvents * 3 * PRICES.sqsRequest) * 1_000, 3)} USD of the total per 1,000 runs; state transitions and DynamoDB writes are the rest.`,
      `- Prices: us-east-1 list prices (Step Functions Standard $0.025 per 1,000 transitions; Lambda arm64 $0.20 per million requests and $0.0000133334 per GB-s; DynamoDB on-demand $0.625 per million WRU and $0.125 per million RRU; EventBridge $1 per million custom events; SQS $0.40 per million requests; API Gateway REST $3.50 per million), free tiers ignored; they live in scripts/bench/run-cost.ts.`,
    ];
  } finally {
    direct.destroy();
    await stream.stop();
    await server.stop();
    await meter.close();
  }
}

function parsedIr(body: unknown) {
  const result = parseWorkflow(body);
  if (!result.ok || !result.ir) throw new Error(`cost workflow invalid: ${JSON.stringify(result.issues.slice(0, 3))}`);
  return result.ir;
}

/** Whether a rule's pattern takes events of this type, by the local bus's own matcher. */
function matchesType(pattern: BusPattern, type: BusEventType): boolean {
  return matches(pattern, { version: '0', id: '', 'detail-type': type, source: busSourceOf(type), account: '', time: '', region: '', resources: [], detail: {} });
}

/** Waits until the stream has been quiet for a second: every change of the runs has been read. */
async function settled(meter: { counts(): MeterCounts }): Promise<void> {
  let last = meter.counts().streamRecords;
  for (;;) {
    await new Promise((r) => setTimeout(r, 1_000));
    const now = meter.counts().streamRecords;
    if (now === last) return;
    last = now;
  }
}
