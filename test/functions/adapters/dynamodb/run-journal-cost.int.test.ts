import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDocumentClient } from '../../../../functions/adapters/dynamodb/client.ts';
import { DynamoExecutionRepository } from '../../../../functions/adapters/dynamodb/execution-repository.ts';
import { DynamoRunJournal } from '../../../../functions/adapters/dynamodb/run-journal.ts';
import { JsonataWorkerPool } from '../../../../functions/adapters/expressions/jsonata-worker-pool.ts';
import { ensureTable } from '../../../../functions/adapters/local/table-setup.ts';
import { runTaskId, type Execution } from '../../../../functions/core/executions/execution.ts';
import { newId } from '../../../../functions/core/ids.ts';
import type { HttpClient } from '../../../../functions/core/runner/ports.ts';
import { MAX_STORED_RESULT_BYTES, TaskRunner } from '../../../../functions/core/runner/task-runner.ts';
import type { TaskRunnerRequest } from '../../../../statemachines/task-runner-contract.ts';
import { executionAt, runTaskOf } from '../../../support/execution-fixtures.ts';
import { fixedClock } from '../../../support/fakes.ts';

const T0 = Date.parse('2026-05-01T09:00:00.000Z');

interface Metered {
  /** Table calls by operation. */
  calls: Record<string, number>;
  /** Write request units DynamoDB Local reported, indexes included. */
  writeUnits: number;
  readUnits: number;
}

/**
 * What one node costs the table on the runner's path, measured on DynamoDB Local: every call asks
 * for its consumed capacity (indexes included), the way DynamoDB bills it.
 */
describe('task runner: table calls and request units per node (DynamoDB Local)', () => {
  const tableName = `run-journal-cost-int-${Date.now()}`;
  const endpoint = inject('dynamoEndpoint');
  const db: DynamoDBDocumentClient = createDocumentClient({ region: 'us-east-1', endpoint });
  let meter: Metered | undefined;
  db.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as Record<string, unknown>;
      const m = meter;
      if (!m) return next(args);
      input.ReturnConsumedCapacity = 'INDEXES';
      const op = String(context.commandName).replace(/Command$/, '');
      // Counted before it answers: a refused conditional write is a round trip too.
      m.calls[op] = (m.calls[op] ?? 0) + 1;
      const out = await next(args);
      {
        const consumed = [(out.output as { ConsumedCapacity?: unknown }).ConsumedCapacity ?? []].flat() as { CapacityUnits?: number }[];
        const units = consumed.reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0);
        if (op === 'GetItem' || op === 'Query' || op === 'BatchGetItem') m.readUnits += units;
        else m.writeUnits += units;
      }
      return out;
    },
    { step: 'initialize', name: 'costMeter' },
  );
  const repo = new DynamoExecutionRepository(db, tableName);
  const expressions = new JsonataWorkerPool();
  let answer: { status: number; body: string } = { status: 200, body: '{"ok":true}' };
  const http: HttpClient = { request: async (req) => ({ status: answer.status, headers: { 'content-type': 'application/json' }, body: answer.body, truncated: false, url: req.url }) };
  const runner = new TaskRunner(new DynamoRunJournal(db, tableName), { resolve: async () => undefined }, { http, lambda: { invoke: async () => ({}) }, expressions }, fixedClock(new Date(T0).toISOString()));

  const params = { url: 'https://api.example.com/items/1', method: 'GET' };
  async function run(status: Execution['status'] = 'running', maxRetries = 0, nodes = ['call']) {
    const e = executionAt(newId('account'), newId('workflow', T0), T0, { workflowName: 'cost', status, taskCount: nodes.length, startedAt: new Date(T0).toISOString() });
    await repo.create(e, nodes.map((n, i) => runTaskOf(e, n, { payload: params, maxRetries, parent: i > 0 ? nodes[0]! : null })));
    return e;
  }
  const requestOf = (e: Execution, nodeId = 'call', extra: Partial<TaskRunnerRequest> = {}): TaskRunnerRequest => ({
    node_id: nodeId,
    node_type: 'http.request',
    action: 'execute',
    params,
    account_id: e.accountId,
    workflow_id: e.workflowId,
    execution_id: e.executionArn,
    input: {},
    retry_count: 0,
    ...extra,
  });
  async function metered(work: () => Promise<unknown>): Promise<Metered> {
    meter = { calls: {}, writeUnits: 0, readUnits: 0 };
    try {
      await work().catch(() => undefined);
      return meter;
    } finally {
      meter = undefined;
    }
  }

  beforeAll(async () => {
    const client = new DynamoDBClient({ region: 'us-east-1', endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    await ensureTable(client, tableName);
    client.destroy();
  });
  afterAll(async () => {
    await expressions.close();
    db.destroy();
  });

  it('a node that succeeds', async () => {
    const e = await run();
    answer = { status: 200, body: '{"ok":true}' };
    const cost = await metered(() => runner.run(requestOf(e)));
    // Attempt record and outcome: 1 WRU each plus 1 for the task index (gsi1); 4 log lines at 1 WRU (in no index).
    // Two round trips, one after the other: the attempt record, then the outcome and the log lines at once. The
    // counters follow through the change stream (run-task-counters.ts), not on this path.
    expect(cost).toEqual({ calls: { UpdateItem: 2, BatchWriteItem: 1 }, writeUnits: 8, readUnits: 0 });
  });

  it('a failure that will be retried, then the retry that succeeds', async () => {
    const e = await run('running', 2);
    answer = { status: 503, body: '{"down":true}' };
    const failed = await metered(() => runner.run(requestOf(e)));
    answer = { status: 200, body: '{"ok":true}' };
    const retried = await metered(() => runner.run(requestOf(e)));
    expect(failed.calls).toEqual({ UpdateItem: 2, BatchWriteItem: 1 });
    expect(retried.calls).toEqual({ UpdateItem: 2, BatchWriteItem: 1 });
    expect([failed.writeUnits, retried.writeUnits]).toEqual([8, 8]);
  });

  it('a stopped run: the begin write is refused, nothing else happens', async () => {
    const e = await run();
    await repo.settleTasks(e.accountId, e.id, [{ taskId: runTaskId(e.id, 'call'), status: 'cancelled', at: new Date(T0).toISOString(), halted: 'cancelled' }]);
    const cost = await metered(() => runner.run(requestOf(e)));
    expect(cost.calls).toEqual({ UpdateItem: 1 });
  });

  it('an output too large to keep whole is stored cut, and costs by the preview, not by the output', async () => {
    const e = await run();
    answer = { status: 200, body: JSON.stringify({ blob: 'x'.repeat(MAX_STORED_RESULT_BYTES) }) };
    const cost = await metered(() => runner.run(requestOf(e)));
    expect(cost.calls).toEqual({ UpdateItem: 2, BatchWriteItem: 1 });
    // The 4 KB preview makes the outcome write 5 WRU, and as much again in the task index.
    expect(cost.writeUnits).toBe(16);
  });

  it('a map iteration', async () => {
    const e = await run('running', 0, ['loop', 'inner']);
    answer = { status: 200, body: '{"ok":true}' };
    const cost = await metered(() => runner.run(requestOf(e, 'inner', { map: { node_id: 'loop', item: 1, index: 0, key: '0' } })));
    // The iteration's item and its node's task item at begin and at the end.
    expect(cost).toEqual({ calls: { UpdateItem: 4, BatchWriteItem: 1 }, writeUnits: 10, readUnits: 0 });
  });
});
