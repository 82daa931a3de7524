import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDocumentClient } from '../../../../functions/adapters/dynamodb/client.ts';
import { DynamoExecutionRepository } from '../../../../functions/adapters/dynamodb/execution-repository.ts';
import { DynamoRunJournal } from '../../../../functions/adapters/dynamodb/run-journal.ts';
import { ensureTable } from '../../../../functions/adapters/local/table-setup.ts';
import { runTaskId, type Execution, type ExecutionStatus, type RunTask } from '../../../../functions/core/executions/execution.ts';
import { newId } from '../../../../functions/core/ids.ts';
import { RunnerFailure } from '../../../../functions/core/runner/errors.ts';
import type { NodeRef } from '../../../../functions/core/runner/journal.ts';
import type { TaskRunnerResponse } from '../../../../statemachines/task-runner-contract.ts';
import { executionAt, runTaskOf } from '../../../support/execution-fixtures.ts';

const T0 = Date.parse('2026-04-01T12:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

function execution(accountId: string, status: ExecutionStatus): Execution {
  return executionAt(accountId, newId('workflow', T0), T0, { workflowName: 'Journal', status, taskCount: 3, startedAt: status === 'pending' ? null : iso(T0) });
}

const runTask = (e: Execution, nodeId: string, maxRetries: number, parent: string | null = null): RunTask => runTaskOf(e, nodeId, { type: 'transform', maxRetries, parent });

const ref = (e: Execution, nodeId: string, mapKey?: string): NodeRef => ({ accountId: e.accountId, executionId: e.id, nodeId, taskId: runTaskId(e.id, nodeId), mapKey });
const response = (nodeId: string, bytes: number): TaskRunnerResponse => ({ node_id: nodeId, status: 'completed', output_bytes: bytes, summary: { status_code: 200 } });

describe('DynamoRunJournal (DynamoDB Local)', () => {
  const tableName = `run-journal-int-${Date.now()}`;
  const endpoint = inject('dynamoEndpoint');
  const db: DynamoDBDocumentClient = createDocumentClient({ region: 'us-east-1', endpoint });
  const repo = new DynamoExecutionRepository(db, tableName);
  const journal = new DynamoRunJournal(db, tableName);
  const raw = async (key: { pk: string; sk: string }) => (await db.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }))).Item;
  const taskItem = (e: Execution, nodeId: string) => raw({ pk: `ACCT#${e.accountId}`, sk: `RUNTASK#${runTaskId(e.id, nodeId)}` });
  const iterItem = (e: Execution, nodeId: string, key: string) => raw({ pk: `ACCT#${e.accountId}`, sk: `RUNITER#${e.id}#${nodeId}#${key}` });

  /** A fresh execution with tasks `fetch` (2 retries), `loop` (a map) and `inner` (in the map, 1 retry). */
  async function run(status: ExecutionStatus = 'running') {
    const e = execution(newId('account'), status);
    await repo.create(e, [runTask(e, 'fetch', 2), runTask(e, 'loop', 0), runTask(e, 'inner', 1, 'loop')]);
    return e;
  }

  beforeAll(async () => {
    const client = new DynamoDBClient({ region: 'us-east-1', endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    await ensureTable(client, tableName);
    client.destroy();
  });
  afterAll(() => db.destroy());

  describe('begin', () => {
    it('on a running execution counts the attempt and answers run with the node retry budget', async () => {
      const e = await run();
      expect(await journal.begin(ref(e, 'fetch'), iso(T0 + 1000))).toEqual({ state: 'run', attempt: 1, maxRetries: 2 });
      expect(await journal.begin(ref(e, 'fetch'), iso(T0 + 2000))).toEqual({ state: 'run', attempt: 2, maxRetries: 2 });
      expect(await journal.begin(ref(e, 'fetch'), iso(T0 + 3000))).toEqual({ state: 'run', attempt: 3, maxRetries: 2 });
      expect(await taskItem(e, 'fetch')).toMatchObject({ status: 'running', attempts: 3, started_at: iso(T0 + 1000), updated_at: iso(T0 + 3000), node_id: 'fetch' });
      expect(await repo.task(e.accountId, runTaskId(e.id, 'fetch'))).toMatchObject({ status: 'running', retryCount: 2, startedAt: iso(T0 + 1000), updatedAt: iso(T0 + 3000), completedAt: null });
      // The other tasks are untouched.
      expect(await taskItem(e, 'loop')).toMatchObject({ status: 'pending', attempts: 0 });
    });

    it('on a pending execution runs too (the RUNNING event may land after the first task)', async () => {
      const e = await run('pending');
      expect(await journal.begin(ref(e, 'loop'), iso(T0))).toEqual({ state: 'run', attempt: 1, maxRetries: 0 });
    });

    // A run that stops settles its unfinished nodes with `halted` (its status); the begin write is conditioned on it, so no read of the run comes first.
    const halt = (e: Execution, status: ExecutionStatus, nodes: string[], taskStatus: RunTask['status'] = 'pending') =>
      repo.settleTasks(e.accountId, e.id, nodes.map((n) => ({ taskId: runTaskId(e.id, n), status: taskStatus, at: iso(T0), halted: status })));

    it.each(['cancelled', 'failed', 'completed', 'timed_out'] as const)('on a %s run answers stopped and records nothing', async (status) => {
      const e = await run();
      await halt(e, status, ['fetch', 'inner']);
      expect(await journal.begin(ref(e, 'fetch'), iso(T0))).toEqual({ state: 'stopped', status });
      expect(await journal.begin(ref(e, 'inner', '0'), iso(T0))).toEqual({ state: 'stopped', status });
      expect(await taskItem(e, 'fetch')).toMatchObject({ status: 'pending', attempts: 0 });
      expect(await taskItem(e, 'fetch')).not.toHaveProperty('started_at');
      // The iteration's write is undone when its map's task refuses (created: removed; existing: restored).
      expect(await iterItem(e, 'inner', '0')).toBeUndefined();
      expect(await taskItem(e, 'inner')).toMatchObject({ status: 'pending', halted: status });
    });

    it('a node that completed while its run was being stopped replays its answer (a redrive re-enters its state)', async () => {
      const e = await run();
      await journal.begin(ref(e, 'fetch'), iso(T0));
      await halt(e, 'cancelled', ['fetch'], 'cancelled');
      const answer = response('fetch', 3);
      await journal.complete(ref(e, 'fetch'), { result: { ok: true }, resultTruncated: false, response: answer, records: null, at: iso(T0 + 1) });
      expect(await journal.begin(ref(e, 'fetch'), iso(T0 + 2))).toEqual({ state: 'done', response: answer });
    });

    it('an existing map iteration is restored as it was when the run has stopped', async () => {
      const e = await run();
      expect(await journal.begin(ref(e, 'inner', '2'), iso(T0))).toMatchObject({ state: 'run', attempt: 1 });
      await journal.fail(ref(e, 'inner', '2'), { error: 'boom', status: 'retrying', at: iso(T0 + 1) });
      await halt(e, 'cancelled', ['inner'], 'cancelled');
      // Settling the map's task cancelled its open iterations; the refused begin leaves that as it was.
      const before = await iterItem(e, 'inner', '2');
      expect(before).toMatchObject({ status: 'cancelled', attempts: 1 });
      expect(await journal.begin(ref(e, 'inner', '2'), iso(T0 + 2))).toEqual({ state: 'stopped', status: 'cancelled' });
      expect(await iterItem(e, 'inner', '2')).toEqual(before);
    });

    it('answers stopped once the run is cancelled mid-run, and runs again once it is redriven', async () => {
      const e = await run();
      expect(await journal.begin(ref(e, 'fetch'), iso(T0))).toMatchObject({ state: 'run', attempt: 1 });
      await halt(e, 'cancelled', ['fetch'], 'cancelled');
      expect(await journal.begin(ref(e, 'fetch'), iso(T0 + 1))).toEqual({ state: 'stopped', status: 'cancelled' });
      expect(await taskItem(e, 'fetch')).toMatchObject({ status: 'cancelled', attempts: 1 });
      await repo.settleTasks(e.accountId, e.id, [{ taskId: runTaskId(e.id, 'fetch'), status: 'pending', at: iso(T0 + 2), error: null, halted: null }]);
      expect(await taskItem(e, 'fetch')).not.toHaveProperty('halted');
      expect(await journal.begin(ref(e, 'fetch'), iso(T0 + 3))).toEqual({ state: 'run', attempt: 2, maxRetries: 2 });
    });

    it('a task that is not part of the execution is a non-retryable RunnerFailure', async () => {
      const e = await run();
      const error = await journal.begin(ref(e, 'not-a-node'), iso(T0)).catch((x: unknown) => x);
      expect(error).toBeInstanceOf(RunnerFailure);
      expect(error).toMatchObject({ name: 'Stepwise.NonRetryable', retryable: false, message: `Task ${runTaskId(e.id, 'not-a-node')} (not-a-node) does not belong to execution ${e.id}` });
      expect(await taskItem(e, 'not-a-node')).toBeUndefined();

      // Another account's task, named with this execution: also not found.
      const other = await run();
      const foreign = await journal.begin({ ...ref(e, 'fetch'), taskId: runTaskId(other.id, 'fetch') }, iso(T0)).catch((x: unknown) => x);
      expect(foreign).toMatchObject({ name: 'Stepwise.NonRetryable', retryable: false });
      expect(await taskItem(other, 'fetch')).toMatchObject({ status: 'pending', attempts: 0 });
    });

    it('an execution that does not exist is a non-retryable RunnerFailure (it has no such node)', async () => {
      const e = execution(newId('account'), 'running');
      const error = await journal.begin(ref(e, 'fetch'), iso(T0)).catch((x: unknown) => x);
      expect(error).toBeInstanceOf(RunnerFailure);
      expect(error).toMatchObject({ name: 'Stepwise.NonRetryable', retryable: false, message: `Task ${runTaskId(e.id, 'fetch')} (fetch) does not belong to execution ${e.id}` });
    });

    it('a map iteration of a task that is not part of the execution is a non-retryable RunnerFailure too, and leaves no iteration behind', async () => {
      const e = await run();
      const error = await journal.begin(ref(e, 'not-a-node', '0'), iso(T0)).catch((x: unknown) => x);
      expect(error).toBeInstanceOf(RunnerFailure);
      expect(error).toMatchObject({ name: 'Stepwise.NonRetryable', retryable: false });
      expect(await iterItem(e, 'not-a-node', '0')).toBeUndefined();
    });
  });

  describe('complete and fail', () => {
    it('complete stores the outcome; a later begin replays the stored response without a new attempt', async () => {
      const e = await run();
      await journal.begin(ref(e, 'fetch'), iso(T0 + 1000));
      const answer = response('fetch', 17);
      await journal.complete(ref(e, 'fetch'), { result: { body: { id: 7 } }, resultTruncated: false, response: answer, records: { processed: 4, failed: 1 }, at: iso(T0 + 2000) });

      expect(await journal.begin(ref(e, 'fetch'), iso(T0 + 3000))).toEqual({ state: 'done', response: answer });
      expect(await journal.begin(ref(e, 'fetch'), iso(T0 + 4000))).toEqual({ state: 'done', response: answer });
      expect(await taskItem(e, 'fetch')).toMatchObject({ status: 'completed', attempts: 1, response: answer, updated_at: iso(T0 + 2000) });
      expect(await repo.task(e.accountId, runTaskId(e.id, 'fetch'))).toMatchObject({
        status: 'completed',
        result: { body: { id: 7 } },
        resultTruncated: false,
        error: null,
        retryCount: 0,
        records: { processed: 4, failed: 1 },
        startedAt: iso(T0 + 1000),
        completedAt: iso(T0 + 2000),
        updatedAt: iso(T0 + 2000),
      });
    });

    it('after a retrying failure the next begin is the next attempt; complete clears the error', async () => {
      const e = await run();
      expect(await journal.begin(ref(e, 'fetch'), iso(T0 + 1000))).toMatchObject({ attempt: 1 });
      await journal.fail(ref(e, 'fetch'), { error: 'HTTP request failed with status 503', status: 'retrying', at: iso(T0 + 1500) });
      expect(await repo.task(e.accountId, runTaskId(e.id, 'fetch'))).toMatchObject({ status: 'retrying', error: 'HTTP request failed with status 503', completedAt: null, updatedAt: iso(T0 + 1500) });

      expect(await journal.begin(ref(e, 'fetch'), iso(T0 + 2000))).toEqual({ state: 'run', attempt: 2, maxRetries: 2 });
      expect(await repo.task(e.accountId, runTaskId(e.id, 'fetch'))).toMatchObject({ status: 'running', error: 'HTTP request failed with status 503', retryCount: 1 });
      await journal.complete(ref(e, 'fetch'), { result: 'ok', resultTruncated: false, response: response('fetch', 4), records: null, at: iso(T0 + 2500) });
      expect(await repo.task(e.accountId, runTaskId(e.id, 'fetch'))).toMatchObject({ status: 'completed', error: null, result: 'ok', retryCount: 1, records: null });
    });

    it('a final failure sets the completion time; the node can still be begun again (a redrive)', async () => {
      const e = await run();
      await journal.begin(ref(e, 'fetch'), iso(T0 + 1000));
      await journal.fail(ref(e, 'fetch'), { error: 'HTTP request failed with status 404', status: 'failed', at: iso(T0 + 1500) });
      expect(await repo.task(e.accountId, runTaskId(e.id, 'fetch'))).toMatchObject({ status: 'failed', error: 'HTTP request failed with status 404', completedAt: iso(T0 + 1500), updatedAt: iso(T0 + 1500) });
      expect(await journal.begin(ref(e, 'fetch'), iso(T0 + 5000))).toEqual({ state: 'run', attempt: 2, maxRetries: 2 });
    });

    it('a cancelled failure is recorded as cancelled with its completion time', async () => {
      const e = await run();
      await journal.begin(ref(e, 'fetch'), iso(T0 + 1000));
      await journal.fail(ref(e, 'fetch'), { error: 'the run was cancelled', status: 'cancelled', at: iso(T0 + 1200) });
      expect(await repo.task(e.accountId, runTaskId(e.id, 'fetch'))).toMatchObject({ status: 'cancelled', error: 'the run was cancelled', completedAt: iso(T0 + 1200) });
    });
  });

  describe('map iterations', () => {
    it('each iteration has its own item and attempts; the retry budget is the task’s', async () => {
      const e = await run();
      expect(await journal.begin(ref(e, 'inner', '0'), iso(T0 + 1000))).toEqual({ state: 'run', attempt: 1, maxRetries: 1 });
      expect(await journal.begin(ref(e, 'inner', '0'), iso(T0 + 2000))).toEqual({ state: 'run', attempt: 2, maxRetries: 1 });
      expect(await journal.begin(ref(e, 'inner', '1'), iso(T0 + 3000))).toEqual({ state: 'run', attempt: 1, maxRetries: 1 });
      expect(await journal.begin(ref(e, 'inner', '1.0'), iso(T0 + 3500))).toEqual({ state: 'run', attempt: 1, maxRetries: 1 });

      expect(await iterItem(e, 'inner', '0')).toEqual({
        pk: `ACCT#${e.accountId}`,
        sk: `RUNITER#${e.id}#inner#0`,
        entity: 'run_iteration',
        status: 'running',
        attempts: 2,
        node_id: 'inner',
        started_at: iso(T0 + 1000),
        updated_at: iso(T0 + 2000),
      });
      expect(await iterItem(e, 'inner', '1')).toMatchObject({ status: 'running', attempts: 1 });
      // The task item shows the node running, but its attempts stay the non-map count.
      expect(await taskItem(e, 'inner')).toMatchObject({ status: 'running', attempts: 0, started_at: iso(T0 + 1000), updated_at: iso(T0 + 3500) });
    });

    it('completions add their records to the task; a completed iteration replays its response', async () => {
      const e = await run();
      await journal.begin(ref(e, 'inner', '0'), iso(T0 + 1000));
      await journal.begin(ref(e, 'inner', '1'), iso(T0 + 1000));
      await journal.begin(ref(e, 'inner', '2'), iso(T0 + 1000));
      const r0 = response('inner', 10);
      const r1 = response('inner', 11);
      await journal.complete(ref(e, 'inner', '0'), { result: { item: 0 }, resultTruncated: false, response: r0, records: { processed: 3, failed: 1 }, at: iso(T0 + 2000) });
      await journal.complete(ref(e, 'inner', '1'), { result: { item: 1 }, resultTruncated: false, response: r1, records: { processed: 2, failed: 0 }, at: iso(T0 + 3000) });
      await journal.complete(ref(e, 'inner', '2'), { result: { item: 2 }, resultTruncated: false, response: response('inner', 12), records: null, at: iso(T0 + 4000) });

      expect(await journal.begin(ref(e, 'inner', '0'), iso(T0 + 5000))).toEqual({ state: 'done', response: r0 });
      expect(await journal.begin(ref(e, 'inner', '1'), iso(T0 + 5000))).toEqual({ state: 'done', response: r1 });
      expect(await iterItem(e, 'inner', '0')).toMatchObject({ status: 'completed', output: { item: 0 }, response: r0, error: null, attempts: 1, updated_at: iso(T0 + 2000) });

      expect(await taskItem(e, 'inner')).toMatchObject({ status: 'completed', iterations_completed: 3, records_processed: 5, records_failed: 1, completed_at: iso(T0 + 4000) });
      expect(await repo.task(e.accountId, runTaskId(e.id, 'inner'))).toMatchObject({ status: 'completed', records: { processed: 5, failed: 1 }, error: null });

      // A new iteration after the others completed still runs (the task item is not the gate).
      expect(await journal.begin(ref(e, 'inner', '3'), iso(T0 + 6000))).toEqual({ state: 'run', attempt: 1, maxRetries: 1 });
      expect(await taskItem(e, 'inner')).toMatchObject({ status: 'running', iterations_completed: 3 });
    });

    it('an iteration failure marks the iteration and the task', async () => {
      const e = await run();
      await journal.begin(ref(e, 'inner', '4'), iso(T0 + 1000));
      await journal.fail(ref(e, 'inner', '4'), { error: 'bad item', status: 'retrying', at: iso(T0 + 1100) });
      expect(await iterItem(e, 'inner', '4')).toMatchObject({ status: 'retrying', error: 'bad item', updated_at: iso(T0 + 1100) });
      expect(await taskItem(e, 'inner')).toMatchObject({ status: 'retrying', error: 'bad item' });
      expect(await taskItem(e, 'inner')).not.toHaveProperty('completed_at');

      expect(await journal.begin(ref(e, 'inner', '4'), iso(T0 + 1200))).toEqual({ state: 'run', attempt: 2, maxRetries: 1 });
      await journal.fail(ref(e, 'inner', '4'), { error: 'bad item again', status: 'failed', at: iso(T0 + 1300) });
      expect(await iterItem(e, 'inner', '4')).toMatchObject({ status: 'failed', error: 'bad item again', attempts: 2 });
      expect(await taskItem(e, 'inner')).toMatchObject({ status: 'failed', error: 'bad item again', completed_at: iso(T0 + 1300) });
    });
  });

  describe('step', () => {
    it('resolves the same iteration first ("1.0", then "1"), then the node’s task', async () => {
      const e = await run();
      const done = async (nodeId: string, mapKey: string | undefined, result: unknown) => {
        await journal.begin(ref(e, nodeId, mapKey), iso(T0));
        await journal.complete(ref(e, nodeId, mapKey), { result, resultTruncated: false, response: response(nodeId, 1), records: null, at: iso(T0 + 1) });
      };
      await done('inner', undefined, 'task output');
      await done('inner', '1', 'iteration 1');
      await done('inner', '1.0', 'iteration 1.0');

      expect(await journal.step(e.accountId, e.id, 'inner', '1.0')).toEqual({ status: 'completed', output: 'iteration 1.0', error: null });
      expect(await journal.step(e.accountId, e.id, 'inner', '1.1')).toEqual({ status: 'completed', output: 'iteration 1', error: null });
      expect(await journal.step(e.accountId, e.id, 'inner', '1')).toEqual({ status: 'completed', output: 'iteration 1', error: null });
      expect(await journal.step(e.accountId, e.id, 'inner', '2.0')).toEqual({ status: 'completed', output: 'task output', error: null });
      expect(await journal.step(e.accountId, e.id, 'inner')).toEqual({ status: 'completed', output: 'task output', error: null });
    });

    it('reports a node that has not finished, a failed one, and nothing for an unknown node', async () => {
      const e = await run();
      expect(await journal.step(e.accountId, e.id, 'fetch')).toEqual({ status: 'pending', output: null, error: null });
      await journal.begin(ref(e, 'inner', '0'), iso(T0));
      expect(await journal.step(e.accountId, e.id, 'inner', '0')).toEqual({ status: 'running', output: null, error: null });
      await journal.fail(ref(e, 'inner', '0'), { error: 'nope', status: 'failed', at: iso(T0 + 1) });
      expect(await journal.step(e.accountId, e.id, 'inner', '0')).toEqual({ status: 'failed', output: null, error: 'nope' });
      expect(await journal.step(e.accountId, e.id, 'unknown')).toBeUndefined();
      expect(await journal.step(e.accountId, e.id, 'unknown', '0.1')).toBeUndefined();
      // Another account cannot read it.
      expect(await journal.step(newId('account'), e.id, 'fetch')).toBeUndefined();
    });
  });

  it('appendLogs writes lines the repository reads back', async () => {
    const e = await run();
    const line = { id: newId('event', T0), executionId: e.id, timestamp: iso(T0), level: 'info' as const, message: 'Task started', nodeId: 'fetch', nodeType: 'http.request', data: { attempt: 1 } };
    await journal.appendLogs(e.accountId, [line]);
    await journal.appendLogs(e.accountId, []);
    expect(await repo.logs(e.accountId, e.id, undefined, { limit: 10, offset: 0, cursor: undefined })).toEqual({ items: [line], total: 1, nextCursor: undefined });
  });
});
