import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDocumentClient } from '../../functions/adapters/dynamodb/client.ts';
import { DynamoExecutionRepository } from '../../functions/adapters/dynamodb/execution-repository.ts';
import { DynamoRunJournal } from '../../functions/adapters/dynamodb/run-journal.ts';
import { JsonataWorkerPool } from '../../functions/adapters/expressions/jsonata-worker-pool.ts';
import { startDynamoDbLocal } from '../../functions/adapters/local/dynamodb-local.ts';
import { LocalLambdaInvoker } from '../../functions/adapters/local/local-lambda-invoker.ts';
import { ensureTable } from '../../functions/adapters/local/table-setup.ts';
import { GuardedHttpClient } from '../../functions/adapters/net/guarded-http-client.ts';
import { systemClock } from '../../functions/core/clock.ts';
import { newId } from '../../functions/core/ids.ts';
import { DEFAULT_HTTP_TIMEOUT_MS, DEFAULT_MAX_RESPONSE_BYTES } from '../../functions/core/runner/executors.ts';
import { TaskRunner } from '../../functions/core/runner/task-runner.ts';
import { executionAt, runTaskOf } from '../../test/support/execution-fixtures.ts';
import { meterDelta, startDynamoMeter, type DynamoMeter } from './dynamo-meter.ts';
import { percentile } from './stats.ts';

const SAMPLES = 200;
const WARMUP = 20;
const COST_SAMPLES = 20;

export interface RunnerOverhead {
  samples: number;
  /** The same GET through the same SSRF-guarded client, nothing else (the reference). */
  bare: { p50: number; p99: number };
  runner: { p50: number; p99: number };
  /** Per sample, runner minus the bare call made right before it. */
  overhead: { p50: number; p99: number };
  /** DynamoDB calls the runner made per task, by operation (averaged over the samples). */
  callsPerTask: Record<string, number>;
  /** Request units DynamoDB Local reported per task (indexes included), averaged over the samples. */
  writeUnitsPerTask: number;
  readUnitsPerTask: number;
}

/**
 * The same harness before the runner's journal was reworked (main at 0ba96a7, measured 2026-12-03):
 * the figures the current ones are compared with. The old code path is gone, so it cannot run here.
 */
export const RUNNER_COST_BEFORE = { calls: { GetItem: 1, UpdateItem: 4, BatchWriteItem: 1 }, writeUnits: 14, readUnits: 1 } as const;

/**
 * The task runner's own cost per task, excluding the remote call: the runner (journal begin,
 * template resolution, the call, masking, output and log writes against a fresh DynamoDB Local) running an
 * `http.request` node, next to the bare call it makes, alternated sample by sample so both see
 * the same machine. Every sample is a fresh execution, as every task of a real run is a fresh node.
 */
export async function measureRunnerOverhead(targetUrl: string): Promise<RunnerOverhead> {
  // A DynamoDB Local of its own: the shared one slows down as earlier sections fill it (measured: 30 ms a node on a fresh one, 190 ms after the API sections).
  const dynamo = await startDynamoDbLocal();
  try {
    // Through the metering proxy: every runner call reports the capacity DynamoDB would bill.
    const meter = await startDynamoMeter(dynamo.endpoint);
    try {
      return await measureOn(dynamo.endpoint, meter, targetUrl);
    } finally {
      await meter.close();
    }
  } finally {
    await dynamo.stop();
  }
}

async function measureOn(dynamoEndpoint: string, meter: DynamoMeter, targetUrl: string): Promise<RunnerOverhead> {
  const tableName = `bench-runner-${Date.now()}`;
  const raw = new DynamoDBClient({ endpoint: dynamoEndpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  await ensureTable(raw, tableName);
  raw.destroy();
  const db = createDocumentClient({ region: 'us-east-1', endpoint: dynamoEndpoint });
  // Costs are read on nodes of their own, after the timed ones: the proxy's extra hop must not enter the times.
  const meteredDb = createDocumentClient({ region: 'us-east-1', endpoint: meter.endpoint });
  const calls: Record<string, number> = {};
  let counting = false;
  meteredDb.middlewareStack.add(
    (next, context) => async (args) => {
      const op = String(context.commandName).replace(/Command$/, '');
      if (counting) calls[op] = (calls[op] ?? 0) + 1;
      return next(args);
    },
    { step: 'initialize', name: 'benchCallCounter' },
  );
  const http = new GuardedHttpClient({ policy: { allowLoopback: true } });
  const expressions = new JsonataWorkerPool();
  const runner = new TaskRunner(new DynamoRunJournal(db, tableName), { resolve: async () => undefined }, { http, lambda: new LocalLambdaInvoker(), expressions }, systemClock);
  const repo = new DynamoExecutionRepository(db, tableName);
  const url = `${targetUrl}/items/1`;
  try {
    const bare: number[] = [];
    const runs: number[] = [];
    const diffs: number[] = [];
    for (let i = 0; i < WARMUP + SAMPLES; i += 1) {
      const request = await freshNode(repo, url);
      const t0 = performance.now();
      await http.request({ method: 'GET', url, headers: {}, timeoutMs: DEFAULT_HTTP_TIMEOUT_MS, maxResponseBytes: DEFAULT_MAX_RESPONSE_BYTES });
      const t1 = performance.now();
      await runner.run(request);
      const t2 = performance.now();
      if (i < WARMUP) continue;
      bare.push(t1 - t0);
      runs.push(t2 - t1);
      diffs.push(t2 - t1 - (t1 - t0));
    }
    const stats = (xs: number[]) => {
      const sorted = xs.toSorted((a, b) => a - b);
      return { p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
    };
    const metered = new TaskRunner(new DynamoRunJournal(meteredDb, tableName), { resolve: async () => undefined }, { http, lambda: new LocalLambdaInvoker(), expressions }, systemClock);
    let writeUnits = 0;
    let readUnits = 0;
    for (let i = 0; i < COST_SAMPLES; i += 1) {
      const request = await freshNode(repo, url);
      const before = meter.counts();
      counting = true;
      await metered.run(request);
      counting = false;
      const cost = meterDelta(meter.counts(), before);
      writeUnits += cost.writeUnits;
      readUnits += cost.readUnits;
    }
    const callsPerTask = Object.fromEntries(Object.entries(calls).map(([op, n]) => [op, n / COST_SAMPLES]));
    return { samples: SAMPLES, bare: stats(bare), runner: stats(runs), overhead: stats(diffs), callsPerTask, writeUnitsPerTask: writeUnits / COST_SAMPLES, readUnitsPerTask: readUnits / COST_SAMPLES };
  } finally {
    await expressions.close();
    db.destroy();
    meteredDb.destroy();
  }
}

/** A running execution with one pending `http.request` node, and the request its Task state would send. */
async function freshNode(repo: DynamoExecutionRepository, url: string) {
  const now = Date.now();
  const execution = executionAt(newId('account'), newId('workflow'), now, { workflowName: 'runner overhead', status: 'running', sinks: ['call'], taskCount: 1, startedAt: new Date(now).toISOString() });
  const params = { method: 'GET', url };
  await repo.create(execution, [runTaskOf(execution, 'call', { payload: params, maxRetries: 0 })]);
  return { node_id: 'call', node_type: 'http.request' as const, action: 'execute' as const, params, account_id: execution.accountId, workflow_id: execution.workflowId, execution_id: execution.executionArn, input: {}, retry_count: 0 };
}
