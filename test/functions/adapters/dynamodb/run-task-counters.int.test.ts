import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { execFileSync } from 'node:child_process';
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DynamoAccountCounts } from '../../../../functions/adapters/dynamodb/account-counts.ts';
import { createDocumentClient } from '../../../../functions/adapters/dynamodb/client.ts';
import { DynamoExecutionRepository } from '../../../../functions/adapters/dynamodb/execution-repository.ts';
import { DynamoRunJournal } from '../../../../functions/adapters/dynamodb/run-journal.ts';
import { ChangeStreamProcessor } from '../../../../functions/adapters/dynamodb/change-stream-processor.ts';
import { RunCounterRecount, StreamCounters } from '../../../../functions/adapters/dynamodb/run-task-counters.ts';
import { startLocalTableStream, type LocalTableStream } from '../../../../functions/adapters/local/local-table-stream.ts';
import { ensureTable } from '../../../../functions/adapters/local/table-setup.ts';
import { isEventSourceRecord } from '../../../../lib/definitions/change-stream.ts';
import { runTaskId, type Execution, type RunTask } from '../../../../functions/core/executions/execution.ts';
import { newId } from '../../../../functions/core/ids.ts';
import type { NodeRef } from '../../../../functions/core/runner/journal.ts';
import { executionAt, runTaskOf } from '../../../support/execution-fixtures.ts';

const AT = '2026-03-01T10:00:00.000Z';
const response = (nodeId: string) => ({ node_id: nodeId, status: 'completed' as const, output_bytes: 2 });

const runTask = (e: Execution, nodeId: string, overrides: Partial<RunTask> = {}): RunTask => runTaskOf(e, nodeId, { type: 'transform', ...overrides });

/**
 * Workflow-task and worker counters against DynamoDB Local and its stream: every status write of
 * the journal and the repository moves them exactly once, through the change stream, including
 * replays, duplicates and concurrent writers.
 */
describe('run task counters (DynamoDB Local)', () => {
  const tableName = `run-task-counters-int-${Date.now()}`;
  const endpoint = inject('dynamoEndpoint');
  const db: DynamoDBDocumentClient = createDocumentClient({ region: 'us-east-1', endpoint });
  const repo = new DynamoExecutionRepository(db, tableName);
  const journal = new DynamoRunJournal(db, tableName);
  const reader = new DynamoAccountCounts(db, tableName);

  let stream: LocalTableStream | undefined;
  const counts = async (accountId: string) => {
    const c = await reader.read(accountId);
    const sum = Object.values(c.runTasks).reduce((a, b) => a + b, 0);
    // The statuses always add up to the total: every move is -1 from one status, +1 to another.
    expect(sum).toBe(c.runTasksTotal);
    return { total: c.runTasksTotal, ...Object.fromEntries(Object.entries(c.runTasks).filter(([, n]) => n !== 0)), active: c.workersActive, idle: c.workersIdle };
  };
  /** The counters once the change stream has caught up with every write so far. */
  const expectCounts = async (accountId: string, expected: Record<string, number>) => {
    await expect.poll(() => counts(accountId), { timeout: 10_000, interval: 25 }).toEqual(expected);
  };
  const start = async (nodes: string[], mapped: string[] = []) => {
    const A = newId('account');
    const e = { ...executionAt(A, newId('workflow'), Date.parse(AT)), status: 'running' as const, startedAt: AT };
    await repo.create(e, [...nodes.map((n) => runTask(e, n)), ...mapped.map((n) => runTask(e, n, { parent: 'loop' }))]);
    const ref = (nodeId: string, mapKey?: string): NodeRef => ({ accountId: A, executionId: e.id, nodeId, taskId: runTaskId(e.id, nodeId), ...(mapKey !== undefined ? { mapKey } : {}) });
    return { A, e, ref };
  };

  beforeAll(async () => {
    const client = new DynamoDBClient({ region: 'us-east-1', endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    await ensureTable(client, tableName);
    client.destroy();
    // The event-stream function's counting, without events: the counters follow the table's stream.
    const processor = new ChangeStreamProcessor({ changes: { changeOf: () => undefined }, feed: { eventsOf: () => [] }, publisher: { publish: async () => undefined }, counters: new StreamCounters(db, tableName) });
    stream = await startLocalTableStream({ endpoint, tableName, handler: (event) => processor.process(event.Records), filter: (record) => isEventSourceRecord(record) });
  });
  afterAll(async () => {
    await stream?.stop();
    db.destroy();
  });

  it('creating a run counts its tasks as pending, as they are written', async () => {
    const { A } = await start(['a', 'b', 'c']);
    await expectCounts(A, { total: 3, pending: 3, active: 0, idle: 0 });
  });

  it('begin → retrying → begin → completed, with a duplicate invocation: each transition counted once', async () => {
    const { A, ref } = await start(['a', 'b']);
    expect(await journal.begin(ref('a'), AT)).toEqual({ state: 'run', attempt: 1, maxRetries: 2 });
    await expectCounts(A, { total: 2, pending: 1, running: 1, active: 1, idle: 0 });
    // A duplicate invocation of the same attempt (Step Functions at-least-once): no move.
    expect(await journal.begin(ref('a'), AT)).toEqual({ state: 'run', attempt: 2, maxRetries: 2 });
    await expectCounts(A, { total: 2, pending: 1, running: 1, active: 1, idle: 0 });
    await journal.fail(ref('a'), { error: 'boom', status: 'retrying', at: AT });
    await expectCounts(A, { total: 2, pending: 1, retrying: 1, active: 0, idle: 1 });
    await journal.begin(ref('a'), AT);
    await expectCounts(A, { total: 2, pending: 1, running: 1, active: 1, idle: 0 });
    await journal.complete(ref('a'), { result: 1, resultTruncated: false, response: response('a'), records: null, at: AT });
    await journal.complete(ref('a'), { result: 1, resultTruncated: false, response: response('a'), records: null, at: AT });
    await expectCounts(A, { total: 2, pending: 1, completed: 1, active: 0, idle: 0 });
    // A replay of a completed node answers from the journal and moves nothing.
    expect(await journal.begin(ref('a'), AT)).toEqual({ state: 'done', response: response('a') });
    await journal.begin(ref('b'), AT);
    await journal.fail(ref('b'), { error: 'bad', status: 'failed', at: AT });
    await expectCounts(A, { total: 2, completed: 1, failed: 1, active: 0, idle: 0 });
  });

  it('settling at the end of a run (cancel, skip, redrive back to pending) moves the counters', async () => {
    const { A, e, ref } = await start(['a', 'b', 'c', 'd']);
    await journal.begin(ref('a'), AT);
    await journal.begin(ref('b'), AT);
    await journal.fail(ref('b'), { error: 'x', status: 'retrying', at: AT });
    await repo.settleTasks(A, e.id, [
      { taskId: runTaskId(e.id, 'a'), status: 'cancelled', at: AT },
      { taskId: runTaskId(e.id, 'b'), status: 'cancelled', at: AT },
      { taskId: runTaskId(e.id, 'c'), status: 'cancelled', at: AT },
      { taskId: runTaskId(e.id, 'd'), status: 'skipped', at: AT },
    ]);
    await expectCounts(A, { total: 4, cancelled: 3, skipped: 1, active: 0, idle: 0 });
    // Settling twice (a retried settle) changes nothing more.
    await repo.settleTasks(A, e.id, [{ taskId: runTaskId(e.id, 'a'), status: 'cancelled', at: AT }]);
    // Redrive: back to pending.
    await repo.settleTasks(A, e.id, [{ taskId: runTaskId(e.id, 'a'), status: 'pending', at: AT, error: null }]);
    await expectCounts(A, { total: 4, pending: 1, cancelled: 2, skipped: 1, active: 0, idle: 0 });
  });

  it('a node that ends after its run was stopped: the end moves the counters from where the stop left them', async () => {
    const { A, e, ref } = await start(['a', 'b']);
    await journal.begin(ref('a'), AT);
    await journal.begin(ref('b'), AT);
    await repo.settleTasks(A, e.id, [
      { taskId: runTaskId(e.id, 'a'), status: 'cancelled', at: AT, halted: 'cancelled' },
      { taskId: runTaskId(e.id, 'b'), status: 'cancelled', at: AT, halted: 'cancelled' },
    ]);
    await expectCounts(A, { total: 2, cancelled: 2, active: 0, idle: 0 });
    // In flight when the stop came: a finishes (its outcome still counts), b fails for good.
    await journal.complete(ref('a'), { result: 1, resultTruncated: false, response: response('a'), records: null, at: AT });
    await journal.fail(ref('b'), { error: 'late', status: 'failed', at: AT });
    await expectCounts(A, { total: 2, completed: 1, failed: 1, active: 0, idle: 0 });
  });

  it('a map node: attempts are its iterations; stopping the run cancels the ones in flight', async () => {
    const { A, e, ref } = await start([], ['item']);
    await journal.begin(ref('item', '0'), AT);
    await journal.begin(ref('item', '1'), AT);
    await journal.begin(ref('item', '2'), AT);
    await expectCounts(A, { total: 1, running: 1, active: 3, idle: 0 });
    await journal.complete(ref('item', '0'), { result: 0, resultTruncated: false, response: response('item'), records: { processed: 4, failed: 0 }, at: AT });
    await journal.fail(ref('item', '1'), { error: 'later', status: 'retrying', at: AT });
    // The task item shows the latest iteration (completed) while iteration 2 still runs.
    await expectCounts(A, { total: 1, retrying: 1, active: 1, idle: 1 });
    await repo.settleTasks(A, e.id, [{ taskId: runTaskId(e.id, 'item'), status: 'cancelled', at: AT }]);
    await expectCounts(A, { total: 1, cancelled: 1, active: 0, idle: 0 });
    const iteration = await db.send(new GetCommand({ TableName: tableName, Key: { pk: `ACCT#${A}`, sk: `RUNITER#${e.id}#item#2` } }));
    expect(iteration.Item?.status).toBe('cancelled');
  });

  it('an iteration begun as its run stops (written, then deleted) leaves no worker counted', async () => {
    const { A, e, ref } = await start([], ['item']);
    await repo.settleTasks(A, e.id, [{ taskId: runTaskId(e.id, 'item'), status: 'cancelled', at: AT, halted: 'cancelled' }]);
    expect(await journal.begin(ref('item', '0'), AT)).toEqual({ state: 'stopped', status: 'cancelled' });
    // A later write: the stream keeps order, so once its move shows, the iteration's two have been counted too.
    await repo.settleTasks(A, e.id, [{ taskId: runTaskId(e.id, 'item'), status: 'pending', at: AT, halted: null }]);
    await expectCounts(A, { total: 1, pending: 1, active: 0, idle: 0 });
  });

  it('is exact under concurrency: 25 simultaneous begins of one node move it once; 12 nodes finishing at once', async () => {
    const nodes = Array.from({ length: 12 }, (_, i) => `n${i}`);
    const { A, ref } = await start(nodes);
    await Promise.all(Array.from({ length: 25 }, () => journal.begin(ref('n0'), AT)));
    await expectCounts(A, { total: 12, pending: 11, running: 1, active: 1, idle: 0 });
    await Promise.all(nodes.slice(1).map((n) => journal.begin(ref(n), AT)));
    await expectCounts(A, { total: 12, running: 12, active: 12, idle: 0 });
    await Promise.all(nodes.map((n, i) => (i % 3 === 0 ? journal.fail(ref(n), { error: 'x', status: 'failed', at: AT }) : journal.complete(ref(n), { result: i, resultTruncated: false, response: response(n), records: null, at: AT }))));
    await expectCounts(A, { total: 12, completed: 8, failed: 4, active: 0, idle: 0 });
  });

  describe('recount (npm run recount)', () => {
    const recount = new RunCounterRecount(db, tableName);
    /** A run in every state a recount meets: tasks pending, running and retrying, a map node with iterations, one written before iterations named their entity. */
    const drifted = async () => {
      const { A, e, ref } = await start(['a', 'b', 'c'], ['item']);
      await journal.begin(ref('a'), AT);
      await journal.begin(ref('b'), AT);
      await journal.fail(ref('b'), { error: 'x', status: 'retrying', at: AT });
      await journal.begin(ref('item', '0'), AT);
      await journal.begin(ref('item', '1'), AT);
      await journal.complete(ref('item', '1'), { result: 1, resultTruncated: false, response: response('item'), records: null, at: AT });
      // The map node's task item shows its latest iteration's end; iteration 0 still runs.
      await expectCounts(A, { total: 4, pending: 1, running: 1, retrying: 1, completed: 1, active: 2, idle: 1 });
      // Off by what the deploy window can leave: tasks counted twice, moves never counted, an iteration the stream never saw.
      await new StreamCounters(db, tableName).add(A, { run_tasks_total: 4, run_tasks_status_pending: 4, workers_active: -1 });
      await db.send(new PutCommand({ TableName: tableName, Item: { pk: `ACCT#${A}`, sk: `RUNITER#${e.id}#item#9`, status: 'retrying', node_id: 'item' } }));
      await expect.poll(() => counts(A), { timeout: 10_000, interval: 25 }).toMatchObject({ total: 8, pending: 5 });
      return A;
    };

    it('sets the counters to what the items say: the stream’s exact counts, plus the iteration it never saw', async () => {
      const A = await drifted();
      const counted = await recount.count(A);
      expect(counted).toMatchObject({ run_tasks_total: 4, run_tasks_status_pending: 1, run_tasks_status_running: 1, run_tasks_status_retrying: 1, run_tasks_status_completed: 1, run_tasks_status_failed: 0, workers_active: 2, workers_idle: 2 });
      expect(await recount.current(A)).toMatchObject({ run_tasks_total: 8, run_tasks_status_pending: 5, workers_active: 1, workers_idle: 1 });
      await recount.set(A, counted);
      expect(await counts(A)).toEqual({ total: 4, pending: 1, running: 1, retrying: 1, completed: 1, active: 2, idle: 2 });
      expect(await recount.current(A)).toEqual(counted);
    });

    it('lists every account from the accounts index', async () => {
      const ids = [newId('account'), newId('account')];
      for (const id of ids) await db.send(new PutCommand({ TableName: tableName, Item: { pk: `ACCT#${id}`, sk: 'ACCOUNT', entity: 'account', gsi1pk: 'ACCOUNTS', gsi1sk: id, id } }));
      expect(await recount.accounts()).toEqual(expect.arrayContaining(ids));
    });

    it('an account that never ran anything has no COUNTERS item, and a recount does not make one', async () => {
      const A = newId('account');
      expect(await recount.count(A)).toMatchObject({ run_tasks_total: 0, workers_active: 0 });
      await recount.set(A, await recount.count(A));
      expect((await db.send(new GetCommand({ TableName: tableName, Key: { pk: `ACCT#${A}`, sk: 'COUNTERS' } }))).Item).toBeUndefined();
    });

    it('the script lists what differs, sets it with --apply, and then finds everything matching', async () => {
      const A = await drifted();
      const run = (...args: string[]) => execFileSync(process.execPath, ['--import', 'tsx', 'scripts/recount-counters.ts', '--table', tableName, '--endpoint', endpoint, '--account', A, ...args], { encoding: 'utf8' });
      const listed = run();
      expect(listed).toContain(`${A}: run_tasks_total 8 → 4, run_tasks_status_pending 5 → 1, workers_active 1 → 2, workers_idle 1 → 2`);
      expect(listed).toContain('1 account(s) differ: add --apply to set them.');
      expect(await counts(A)).toMatchObject({ total: 8 });
      expect(run('--apply')).toContain('Set the counters of 1 account(s).');
      expect(await counts(A)).toEqual({ total: 4, pending: 1, running: 1, retrying: 1, completed: 1, active: 2, idle: 2 });
      expect(run()).toContain('Every counter matches its items.');
    });
  });
});
