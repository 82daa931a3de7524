import { createHash } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDocumentClient } from '../../../../functions/adapters/dynamodb/client.ts';
import { DynamoExecutionRepository } from '../../../../functions/adapters/dynamodb/execution-repository.ts';
import { LOG_RETENTION_DAYS } from '../../../../functions/adapters/dynamodb/execution-items.ts';
import { ensureTable } from '../../../../functions/adapters/local/table-setup.ts';
import { AppError } from '../../../../functions/core/errors.ts';
import { runTaskId, type Execution, type LogLevel, type LogLine, type RunTask } from '../../../../functions/core/executions/execution.ts';
import { newId, newSequentialId } from '../../../../functions/core/ids.ts';
import type { PageRequest } from '../../../../functions/core/pagination.ts';
import { executionAt, runTaskOf } from '../../../support/execution-fixtures.ts';

const T0 = Date.parse('2026-03-01T00:00:00.000Z');
const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();
const page = (limit = 100, cursor?: string, offset = 0): PageRequest => ({ limit, offset, cursor });

function execution(accountId: string, workflowId: string, at: number, overrides: Partial<Execution> = {}): Execution {
  return executionAt(accountId, workflowId, at, { workflowName: 'Nightly import', version: 2, input: { order: 42 }, sinks: ['notify'], taskCount: 3, createdBy: 'usr_01ARZ3NDEKTSV4RRFFQ69G5FAV', ...overrides });
}

const runTask = (e: Execution, nodeId: string, overrides: Partial<RunTask> = {}): RunTask =>
  runTaskOf(e, nodeId, { name: `Node ${nodeId}`, payload: { url: 'https://example.com/{{input.order}}' }, ...overrides });

function logLine(executionId: string, at: number, level: LogLevel, message: string): LogLine {
  return { id: newSequentialId('event', at), executionId, timestamp: iso(at), level, message, nodeId: 'fetch', nodeType: 'http.request', data: { n: message } };
}

describe('DynamoExecutionRepository (DynamoDB Local)', () => {
  const tableName = `executions-int-${Date.now()}`;
  const endpoint = inject('dynamoEndpoint');
  const db: DynamoDBDocumentClient = createDocumentClient({ region: 'us-east-1', endpoint });
  const repo = new DynamoExecutionRepository(db, tableName);

  const raw = async (key: { pk: string; sk: string }) => (await db.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }))).Item;
  const counters = async (accountId: string) => {
    const item = await raw({ pk: `ACCT#${accountId}`, sk: 'COUNTERS' });
    return Object.fromEntries(Object.entries(item ?? {}).filter(([k]) => k.startsWith('executions_')));
  };
  const ids = (items: readonly { id: string }[]) => items.map((i) => i.id);

  beforeAll(async () => {
    const client = new DynamoDBClient({ region: 'us-east-1', endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    await ensureTable(client, tableName);
    client.destroy();
  });
  afterAll(() => db.destroy());

  describe('child executions (gsi4)', () => {
    it('lists a run’s children newest first, filtered by status and workflow, and only within the account; activeChildren skips finished ones', async () => {
      const A = newId('account');
      const W = newId('workflow');
      const parent = execution(A, W, T0);
      await repo.create(parent, []);
      const child = (at: number, status: Execution['status'], workflowId = W) => execution(A, workflowId, at, { status, trigger: 'subworkflow', parent: { executionId: parent.id, nodeId: 'call', depth: 1 } });
      const kids = [child(T0 + 1, 'running'), child(T0 + 2, 'completed'), child(T0 + 3, 'pending', newId('workflow'))];
      for (const k of kids) await repo.create(k, []);
      // A top-level run of the same account and a child of another run are not in the list.
      await repo.create(execution(A, W, T0 + 4), []);
      expect(await repo.get(A, kids[0]!.id)).toEqual(kids[0]);

      const listed = await repo.list(A, { parentExecutionId: parent.id }, page());
      expect(ids(listed.items)).toEqual([kids[2]!.id, kids[1]!.id, kids[0]!.id]);
      expect(listed.total).toBe(3);
      expect(ids((await repo.list(A, { parentExecutionId: parent.id, status: 'completed' }, page())).items)).toEqual([kids[1]!.id]);
      expect(ids((await repo.list(A, { parentExecutionId: parent.id, workflowId: W }, page())).items)).toEqual([kids[1]!.id, kids[0]!.id]);
      const paged = await repo.list(A, { parentExecutionId: parent.id }, page(2));
      expect(ids((await repo.list(A, { parentExecutionId: parent.id }, page(2, paged.nextCursor))).items)).toEqual([kids[0]!.id]);
      expect((await repo.list(newId('account'), { parentExecutionId: parent.id }, page())).items).toEqual([]);
      expect(ids(await repo.activeChildren(A, parent.id)).toSorted()).toEqual([kids[0]!.id, kids[2]!.id].toSorted());
      expect(await repo.activeChildren(newId('account'), parent.id)).toEqual([]);
    });
  });

  describe('create', () => {
    it('writes the execution, its tasks and the counters', async () => {
      const A = newId('account');
      const e = execution(A, newId('workflow'), T0);
      const tasks = [runTask(e, 'fetch'), runTask(e, 'notify', { dependencies: ['transform'], type: 'webhook', maxRetries: 0, priority: 5 }), runTask(e, 'transform', { dependencies: ['fetch'], type: 'transform', parent: null, runnerTask: false })];

      expect(await repo.create(e, tasks)).toEqual({ created: true });

      expect(await repo.get(A, e.id)).toEqual(e);
      // By node id (the gsi1 sort key).
      expect(await repo.tasks(A, e.id)).toEqual([tasks[0], tasks[1], tasks[2]]);
      expect(await counters(A)).toEqual({ executions_total: 1, executions_status_pending: 1 });

      const item = await raw({ pk: `ACCT#${A}`, sk: `EXEC#${e.id}` });
      expect(item).toMatchObject({
        entity: 'execution',
        gsi1pk: `ACCT#${A}#EXEC#WF#${e.workflowId}`,
        gsi1sk: e.id,
        gsi2pk: `ACCT#${A}#EXEC#STATUS#pending`,
        gsi2sk: e.id,
        gsi3pk: `ACCT#${A}#EXEC#WF#${e.workflowId}#STATUS#pending`,
        gsi3sk: e.id,
        input: { order: 42 },
        result: null,
      });
      const taskItem = await raw({ pk: `ACCT#${A}`, sk: `RUNTASK#${tasks[0]!.id}` });
      expect(taskItem).toMatchObject({ entity: 'run_task', gsi1pk: `ACCT#${A}#EXEC#${e.id}#TASKS`, gsi1sk: 'fetch', attempts: 0, max_retries: 2 });
      // Absent until the runner's first attempt sets them with if_not_exists.
      expect(taskItem).not.toHaveProperty('started_at');
      expect(taskItem).not.toHaveProperty('completed_at');
    });

    it('counts the initial status it is created in', async () => {
      const A = newId('account');
      const wf = newId('workflow');
      await repo.create(execution(A, wf, T0), []);
      await repo.create(execution(A, wf, T0 + 1, { status: 'running', startedAt: iso(T0 + 1) }), []);
      await repo.create(execution(A, wf, T0 + 2), []);
      expect(await counters(A)).toEqual({ executions_total: 3, executions_status_pending: 2, executions_status_running: 1 });
    });

    it('stores a large input gzipped and reads it back', async () => {
      const A = newId('account');
      const input = { rows: Array.from({ length: 2_000 }, (_, i) => ({ i, name: `row-${i}`, pad: 'x'.repeat(30) })) };
      const e = execution(A, newId('workflow'), T0, { input });
      await repo.create(e, []);
      const item = await raw({ pk: `ACCT#${A}`, sk: `EXEC#${e.id}` });
      expect(item?.input_gz).toBeInstanceOf(Uint8Array);
      expect(item).not.toHaveProperty('input');
      expect((await repo.get(A, e.id))?.input).toEqual(input);
    });

    it('the same execution twice without an idempotency key is rejected and counted once', async () => {
      const A = newId('account');
      const e = execution(A, newId('workflow'), T0);
      await repo.create(e, []);
      await expect(repo.create(e, [])).rejects.toMatchObject({ name: 'TransactionCanceledException' });
      expect(await counters(A)).toEqual({ executions_total: 1, executions_status_pending: 1 });
    });

    it('claims an idempotency key; a second create with the key returns the claim and writes nothing', async () => {
      const A = newId('account');
      const wf = newId('workflow');
      const first = execution(A, wf, T0);
      const second = execution(A, wf, T0 + 1000, { input: { order: 43 } });
      const key = `${wf}#client-key-1`;

      expect(await repo.create(first, [runTask(first, 'fetch')], { key, fingerprint: 'fp-1' })).toEqual({ created: true });
      expect(await repo.create(second, [runTask(second, 'fetch')], { key, fingerprint: 'fp-2' })).toEqual({ created: false, executionId: first.id, fingerprint: 'fp-1' });

      expect(await repo.get(A, second.id)).toBeUndefined();
      expect(await repo.tasks(A, second.id)).toEqual([]);
      expect(await repo.task(A, runTaskId(second.id, 'fetch'))).toBeUndefined();
      expect(await counters(A)).toEqual({ executions_total: 1, executions_status_pending: 1 });
      expect(ids((await repo.list(A, {}, page())).items)).toEqual([first.id]);

      const digest = createHash('sha256').update(key).digest('base64url');
      expect(await raw({ pk: `ACCT#${A}`, sk: `IDEMP#run#${digest}` })).toEqual({
        pk: `ACCT#${A}`,
        sk: `IDEMP#run#${digest}`,
        entity: 'idempotency',
        execution_id: first.id,
        fingerprint: 'fp-1',
        ttl: Math.floor(T0 / 1000) + 24 * 3600,
      });

      // Another key (or the same key in another account) is a new claim.
      const third = execution(A, wf, T0 + 2000);
      expect(await repo.create(third, [], { key: `${wf}#client-key-2`, fingerprint: 'fp-1' })).toEqual({ created: true });
      const B = newId('account');
      expect(await repo.create(execution(B, wf, T0), [], { key, fingerprint: 'fp-1' })).toEqual({ created: true });
      expect(await counters(A)).toEqual({ executions_total: 2, executions_status_pending: 2 });
    });
  });

  describe('get, list, latest and active', () => {
    const A = newId('account');
    const OTHER = newId('account');
    const W1 = newId('workflow', T0 - HOUR);
    const W2 = newId('workflow', T0 - HOUR);
    const at = (h: number) => T0 + h * HOUR;
    const e1 = execution(A, W1, at(0));
    const e2 = execution(A, W1, at(1), { status: 'running', startedAt: iso(at(1)) });
    const e3 = execution(A, W2, at(2), { status: 'running', startedAt: iso(at(2)) });
    const e4 = execution(A, W1, at(3), { status: 'completed', startedAt: iso(at(3)), completedAt: iso(at(3) + 500), durationMs: 500, result: { ok: true } });
    const e5 = execution(A, W2, at(4), { status: 'failed', error: 'boom', failedNode: 'fetch' });
    const e6 = execution(A, W1, at(5), { status: 'running', startedAt: iso(at(5)) });
    const all = [e1, e2, e3, e4, e5, e6];

    beforeAll(async () => {
      // Out of order on purpose: the order comes from the keys, not from when they were written.
      for (const e of [e4, e1, e6, e3, e5, e2]) await repo.create(e, [runTask(e, 'fetch'), runTask(e, 'notify')]);
      // Log lines share the account partition; they must never show up as executions.
      await repo.appendLogs(A, [logLine(e1.id, at(0), 'info', 'Execution started'), logLine(e6.id, at(5), 'error', 'x')]);
    });

    it('get returns each execution; another account or an unknown id gets nothing', async () => {
      for (const e of all) expect(await repo.get(A, e.id)).toEqual(e);
      expect(await repo.get(OTHER, e1.id)).toBeUndefined();
      expect(await repo.get(A, newId('execution'))).toBeUndefined();
    });

    it('every filter combination, newest first, with exact totals', async () => {
      const cases: [Parameters<typeof repo.list>[1], Execution[]][] = [
        [{}, [e6, e5, e4, e3, e2, e1]],
        [{ workflowId: W1 }, [e6, e4, e2, e1]],
        [{ workflowId: W2 }, [e5, e3]],
        [{ status: 'running' }, [e6, e3, e2]],
        [{ status: 'pending' }, [e1]],
        [{ status: 'completed' }, [e4]],
        [{ status: 'cancelled' }, []],
        [{ workflowId: W1, status: 'running' }, [e6, e2]],
        [{ workflowId: W2, status: 'failed' }, [e5]],
        [{ workflowId: W2, status: 'pending' }, []],
        // Inclusive at both ends, to the millisecond.
        [{ startDate: iso(at(1)), endDate: iso(at(3)) }, [e4, e3, e2]],
        [{ startDate: iso(at(1) + 1), endDate: iso(at(3) - 1) }, [e3]],
        [{ startDate: iso(at(4)) }, [e6, e5]],
        [{ endDate: iso(at(0)) }, [e1]],
        [{ endDate: iso(at(0) - 1) }, []],
        [{ workflowId: W1, startDate: iso(at(1)), endDate: iso(at(5)) }, [e6, e4, e2]],
        [{ workflowId: W2, endDate: iso(at(3)) }, [e3]],
        [{ status: 'running', startDate: iso(at(2)) }, [e6, e3]],
        [{ status: 'running', endDate: iso(at(1)) }, [e2]],
        [{ workflowId: W1, status: 'running', startDate: iso(at(2)) }, [e6]],
        [{ workflowId: W1, status: 'running', startDate: iso(at(0)), endDate: iso(at(4)) }, [e2]],
      ];
      for (const [filter, expected] of cases) {
        const res = await repo.list(A, filter, page());
        expect({ filter, ids: ids(res.items), total: res.total, nextCursor: res.nextCursor }).toEqual({ filter, ids: ids(expected), total: expected.length, nextCursor: undefined });
      }
      expect((await repo.list(A, { status: 'completed' }, page())).items).toEqual([e4]);
    });

    it('pages by cursor and by offset with the same totals', async () => {
      const p1 = await repo.list(A, {}, page(2));
      expect({ ids: ids(p1.items), total: p1.total }).toEqual({ ids: [e6.id, e5.id], total: 6 });
      expect(p1.nextCursor).toEqual(expect.any(String));
      const p2 = await repo.list(A, {}, page(2, p1.nextCursor));
      expect({ ids: ids(p2.items), total: p2.total }).toEqual({ ids: [e4.id, e3.id], total: 6 });
      const p3 = await repo.list(A, {}, page(2, p2.nextCursor));
      expect({ ids: ids(p3.items), total: p3.total, nextCursor: p3.nextCursor }).toEqual({ ids: [e2.id, e1.id], total: 6, nextCursor: undefined });

      const w1 = await repo.list(A, { workflowId: W1 }, page(3));
      expect({ ids: ids(w1.items), total: w1.total }).toEqual({ ids: [e6.id, e4.id, e2.id], total: 4 });
      const w2 = await repo.list(A, { workflowId: W1 }, page(3, w1.nextCursor));
      expect({ ids: ids(w2.items), total: w2.total, nextCursor: w2.nextCursor }).toEqual({ ids: [e1.id], total: 4, nextCursor: undefined });

      const r1 = await repo.list(A, { status: 'running', startDate: iso(at(1)) }, page(1));
      expect({ ids: ids(r1.items), total: r1.total }).toEqual({ ids: [e6.id], total: 3 });
      const r2 = await repo.list(A, { status: 'running', startDate: iso(at(1)) }, page(1, r1.nextCursor));
      expect(ids(r2.items)).toEqual([e3.id]);

      const byOffset = await repo.list(A, {}, page(3, undefined, 2));
      expect({ ids: ids(byOffset.items), total: byOffset.total }).toEqual({ ids: [e4.id, e3.id, e2.id], total: 6 });
      expect(byOffset.nextCursor).toEqual(expect.any(String));
      const rest = await repo.list(A, {}, page(3, byOffset.nextCursor));
      expect({ ids: ids(rest.items), nextCursor: rest.nextCursor }).toEqual({ ids: [e1.id], nextCursor: undefined });

      // An exact last page has no cursor.
      const exact = await repo.list(A, {}, page(6));
      expect({ n: exact.items.length, nextCursor: exact.nextCursor }).toEqual({ n: 6, nextCursor: undefined });
    });

    it('a cursor only works on the list it came from', async () => {
      const { nextCursor } = await repo.list(A, {}, page(1));
      await expect(repo.list(A, { status: 'running' }, page(1, nextCursor))).rejects.toMatchObject({ code: 'validation_error', field: 'cursor' });
      await expect(repo.list(OTHER, {}, page(1, nextCursor))).rejects.toBeInstanceOf(AppError);
      const { nextCursor: wfCursor } = await repo.list(A, { workflowId: W1 }, page(1));
      await expect(repo.list(A, { workflowId: W2 }, page(1, wfCursor))).rejects.toMatchObject({ code: 'validation_error', field: 'cursor' });
    });

    it('another account sees none of them', async () => {
      for (const filter of [{}, { workflowId: W1 }, { status: 'running' as const }, { workflowId: W1, status: 'running' as const }, { startDate: iso(at(0)) }]) {
        expect(await repo.list(OTHER, filter, page())).toEqual({ items: [], total: 0, nextCursor: undefined });
      }
      expect(await repo.latest(OTHER, W1)).toBeUndefined();
      expect(await repo.active(OTHER, W1)).toEqual([]);
      expect(await repo.tasks(OTHER, e1.id)).toEqual([]);
      expect(await repo.task(OTHER, runTaskId(e1.id, 'fetch'))).toBeUndefined();
    });

    it('latest is the newest execution of the workflow', async () => {
      expect(await repo.latest(A, W1)).toEqual(e6);
      expect(await repo.latest(A, W2)).toEqual(e5);
      expect(await repo.latest(A, newId('workflow'))).toBeUndefined();
    });

    it('active lists the pending, then the running executions of the workflow', async () => {
      expect(ids(await repo.active(A, W1))).toEqual([e1.id, e2.id, e6.id]);
      expect(ids(await repo.active(A, W2))).toEqual([e3.id]);
      expect(await repo.active(A, newId('workflow'))).toEqual([]);
    });
  });

  it('unranged totals come from the counters item (ranged ones count the range)', async () => {
    const A = newId('account');
    const wf = newId('workflow');
    await repo.create(execution(A, wf, T0, { status: 'running' }), []);
    await repo.create(execution(A, wf, T0 + 1, { status: 'running' }), []);
    // Skew the counters: an unranged list reports them, a ranged or workflow list counts items.
    await db.send(
      new UpdateCommand({ TableName: tableName, Key: { pk: `ACCT#${A}`, sk: 'COUNTERS' }, UpdateExpression: 'ADD executions_total :n, executions_status_running :n', ExpressionAttributeValues: { ':n': 10 } }),
    );
    expect((await repo.list(A, {}, page())).total).toBe(12);
    expect((await repo.list(A, { status: 'running' }, page())).total).toBe(12);
    expect((await repo.list(A, { startDate: iso(T0) }, page())).total).toBe(2);
    expect((await repo.list(A, { status: 'running', endDate: iso(T0 + 1) }, page())).total).toBe(2);
    expect((await repo.list(A, { workflowId: wf }, page())).total).toBe(2);
    expect((await repo.list(A, { workflowId: wf, status: 'running' }, page())).total).toBe(2);
  });

  describe('transition', () => {
    it('moves status, index keys and counters only from the status and redrive count it was read with', async () => {
      const A = newId('account');
      const wf = newId('workflow');
      const pending = execution(A, wf, T0);
      await repo.create(pending, []);

      expect(await repo.transition(pending, { status: 'running', redriveCount: 0, startedAt: iso(T0 + 100) })).toBe(true);
      const running: Execution = { ...pending, status: 'running', startedAt: iso(T0 + 100) };
      expect(await repo.get(A, pending.id)).toEqual(running);
      expect(await counters(A)).toEqual({ executions_total: 1, executions_status_pending: 0, executions_status_running: 1 });
      expect(ids((await repo.list(A, { status: 'running' }, page())).items)).toEqual([pending.id]);
      expect((await repo.list(A, { status: 'pending' }, page())).items).toEqual([]);
      expect(ids((await repo.list(A, { workflowId: wf, status: 'running' }, page())).items)).toEqual([pending.id]);
      expect((await repo.list(A, { workflowId: wf, status: 'pending' }, page())).items).toEqual([]);
      expect(ids(await repo.active(A, wf))).toEqual([pending.id]);
      expect(await raw({ pk: `ACCT#${A}`, sk: `EXEC#${pending.id}` })).toMatchObject({
        gsi2pk: `ACCT#${A}#EXEC#STATUS#running`,
        gsi3pk: `ACCT#${A}#EXEC#WF#${wf}#STATUS#running`,
        gsi1pk: `ACCT#${A}#EXEC#WF#${wf}`,
      });

      // Stale: still thinks it is pending. Nothing changes, counters included.
      expect(await repo.transition(pending, { status: 'failed', redriveCount: 0, error: 'late' })).toBe(false);
      // Stale redrive count.
      expect(await repo.transition({ ...running, redriveCount: 1 }, { status: 'completed', redriveCount: 1 })).toBe(false);
      expect(await repo.get(A, pending.id)).toEqual(running);
      expect(await counters(A)).toEqual({ executions_total: 1, executions_status_pending: 0, executions_status_running: 1 });

      const failedChange = { status: 'failed' as const, redriveCount: 0, completedAt: iso(T0 + 900), durationMs: 800, error: 'HTTP request failed with status 500', failedNode: 'fetch', records: { processed: 3, failed: 1 } };
      expect(await repo.transition(running, failedChange)).toBe(true);
      const failed: Execution = { ...running, ...failedChange };
      expect(await repo.get(A, pending.id)).toEqual(failed);
      expect(await counters(A)).toEqual({ executions_total: 1, executions_status_pending: 0, executions_status_running: 0, executions_status_failed: 1 });
      expect(await repo.active(A, wf)).toEqual([]);

      // A redrive: back to running with the next redrive count, the failure cleared.
      const redrive = { status: 'running' as const, redriveCount: 1, completedAt: null, durationMs: null, error: null, failedNode: null, result: null };
      expect(await repo.transition(failed, redrive)).toBe(true);
      const redriven: Execution = { ...failed, ...redrive };
      expect(await repo.get(A, pending.id)).toEqual(redriven);
      expect(await counters(A)).toEqual({ executions_total: 1, executions_status_pending: 0, executions_status_running: 1, executions_status_failed: 0 });

      // An event of the first attempt (redrive count 0) cannot touch the redriven run.
      expect(await repo.transition(running, { status: 'completed', redriveCount: 0 })).toBe(false);
      expect(await repo.get(A, pending.id)).toEqual(redriven);

      // Same status: fields change, counters do not.
      expect(await repo.transition(redriven, { status: 'running', redriveCount: 1, records: { processed: 10, failed: 0 } })).toBe(true);
      expect((await repo.get(A, pending.id))?.records).toEqual({ processed: 10, failed: 0 });
      expect(await counters(A)).toEqual({ executions_total: 1, executions_status_pending: 0, executions_status_running: 1, executions_status_failed: 0 });
    });

    it('a transition of an execution that does not exist is false and writes nothing', async () => {
      const A = newId('account');
      const ghost = execution(A, newId('workflow'), T0);
      expect(await repo.transition(ghost, { status: 'running', redriveCount: 0 })).toBe(false);
      expect(await raw({ pk: `ACCT#${A}`, sk: `EXEC#${ghost.id}` })).toBeUndefined();
      expect(await counters(A)).toEqual({});
    });

    it('packs a large result gzipped and unpacks it; a later small result replaces it', async () => {
      const A = newId('account');
      const e = execution(A, newId('workflow'), T0, { status: 'running', startedAt: iso(T0) });
      await repo.create(e, []);
      const big = { rows: Array.from({ length: 1_000 }, (_, i) => ({ id: i, text: `line ${i} `.padEnd(90, '.') })) };
      expect(Buffer.byteLength(JSON.stringify(big))).toBeGreaterThan(100_000);

      expect(await repo.transition(e, { status: 'completed', redriveCount: 0, result: big, completedAt: iso(T0 + 10), durationMs: 10 })).toBe(true);
      const key = { pk: `ACCT#${A}`, sk: `EXEC#${e.id}` };
      const packed = await raw(key);
      expect(packed?.result_gz).toBeInstanceOf(Uint8Array);
      expect((packed!.result_gz as Uint8Array).byteLength).toBeLessThan(100_000);
      expect(packed).not.toHaveProperty('result');
      const completed = await repo.get(A, e.id);
      expect(completed?.result).toEqual(big);

      expect(await repo.transition(completed!, { status: 'completed', redriveCount: 0, result: { summary: 'small' } })).toBe(true);
      const unpacked = await raw(key);
      expect(unpacked?.result).toEqual({ summary: 'small' });
      expect(unpacked).not.toHaveProperty('result_gz');
      expect((await repo.get(A, e.id))?.result).toEqual({ summary: 'small' });

      // No `result` in the change leaves the stored one alone.
      expect(await repo.transition({ ...completed!, result: { summary: 'small' } }, { status: 'completed', redriveCount: 0, error: null })).toBe(true);
      expect((await repo.get(A, e.id))?.result).toEqual({ summary: 'small' });
    });
  });

  describe('tasks', () => {
    it('task() reads one by id; settleTasks sets status, completion time and (when given) the error', async () => {
      const A = newId('account');
      const e = execution(A, newId('workflow'), T0, { status: 'running' });
      const fetch = runTask(e, 'fetch', { status: 'running', error: 'timeout', startedAt: iso(T0 + 1) });
      const notify = runTask(e, 'notify', { status: 'failed', error: 'HTTP 500', completedAt: iso(T0 + 2) });
      const transform = runTask(e, 'transform', { status: 'running' });
      const skipped = runTask(e, 'zzz', { status: 'completed', result: { ok: 1 }, completedAt: iso(T0 + 3) });
      await repo.create(e, [fetch, notify, transform, skipped]);

      expect(await repo.task(A, fetch.id)).toEqual(fetch);
      expect(await repo.task(A, runTaskId(e.id, 'missing'))).toBeUndefined();

      const at = iso(T0 + 5000);
      await repo.settleTasks(A, e.id, [
        { taskId: fetch.id, status: 'cancelled', at },
        { taskId: notify.id, status: 'pending', at, error: null },
        { taskId: transform.id, status: 'failed', at, error: 'stopped' },
      ]);
      expect(await repo.tasks(A, e.id)).toEqual([
        { ...fetch, status: 'cancelled', updatedAt: at, completedAt: at },
        { ...notify, status: 'pending', updatedAt: at, completedAt: null, error: null },
        { ...transform, status: 'failed', updatedAt: at, completedAt: at, error: 'stopped' },
        skipped,
      ]);
      await repo.settleTasks(A, e.id, []);
      expect((await repo.tasks(A, e.id)).length).toBe(4);
    });

    it('settleTasks never creates a task that does not exist', async () => {
      const A = newId('account');
      const e = execution(A, newId('workflow'), T0);
      await repo.create(e, []);
      const ghost = runTaskId(e.id, 'ghost');
      await expect(repo.settleTasks(A, e.id, [{ taskId: ghost, status: 'cancelled', at: iso(T0) }])).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' });
      expect(await raw({ pk: `ACCT#${A}`, sk: `RUNTASK#${ghost}` })).toBeUndefined();
    });

    it('writes more than a batch of tasks (25) and reads them all back', async () => {
      const A = newId('account');
      const e = execution(A, newId('workflow'), T0, { taskCount: 60 });
      const tasks = Array.from({ length: 60 }, (_, i) => runTask(e, `n${String(i).padStart(2, '0')}`));
      await repo.create(e, tasks);
      expect(await repo.tasks(A, e.id)).toEqual(tasks);
    });
  });

  describe('logs', () => {
    const A = newId('account');
    const e = execution(A, newId('workflow'), T0, { status: 'running' });
    const other = execution(A, e.workflowId, T0 + 1);
    const levels: LogLevel[] = ['info', 'debug', 'warn', 'error', 'info'];
    const lines = levels.map((level, i) => logLine(e.id, T0 + i * 1000, level, `line ${i}`));

    beforeAll(async () => {
      await repo.create(e, [runTask(e, 'fetch')]);
      await repo.create(other, []);
      // Written out of order: reads order by id.
      await repo.appendLogs(A, [lines[3]!, lines[0]!, lines[4]!]);
      await repo.appendLogs(A, [lines[1]!, lines[2]!]);
      await repo.appendLogs(A, [logLine(other.id, T0, 'info', 'other execution')]);
      await repo.appendLogs(A, []);
    });

    it('reads every line, oldest first, only of that execution', async () => {
      expect(await repo.logs(A, e.id, undefined, page())).toEqual({ items: lines, total: 5, nextCursor: undefined });
      expect(ids((await repo.logs(A, other.id, undefined, page())).items)).toHaveLength(1);
    });

    it('filters by level', async () => {
      expect(await repo.logs(A, e.id, 'info', page())).toEqual({ items: [lines[0], lines[4]], total: 2, nextCursor: undefined });
      expect(await repo.logs(A, e.id, 'error', page())).toEqual({ items: [lines[3]], total: 1, nextCursor: undefined });
      expect(await repo.logs(A, e.id, 'debug', page())).toEqual({ items: [lines[1]], total: 1, nextCursor: undefined });
      expect(await repo.logs(A, other.id, 'error', page())).toEqual({ items: [], total: 0, nextCursor: undefined });
    });

    it('pages by cursor and offset', async () => {
      const p1 = await repo.logs(A, e.id, undefined, page(2));
      expect({ ids: ids(p1.items), total: p1.total }).toEqual({ ids: ids(lines.slice(0, 2)), total: 5 });
      const p2 = await repo.logs(A, e.id, undefined, page(2, p1.nextCursor));
      expect({ ids: ids(p2.items), total: p2.total }).toEqual({ ids: ids(lines.slice(2, 4)), total: 5 });
      const p3 = await repo.logs(A, e.id, undefined, page(2, p2.nextCursor));
      expect({ ids: ids(p3.items), nextCursor: p3.nextCursor }).toEqual({ ids: [lines[4]!.id], nextCursor: undefined });

      const i1 = await repo.logs(A, e.id, 'info', page(1));
      expect({ ids: ids(i1.items), total: i1.total }).toEqual({ ids: [lines[0]!.id], total: 2 });
      const i2 = await repo.logs(A, e.id, 'info', page(1, i1.nextCursor));
      expect({ ids: ids(i2.items), nextCursor: i2.nextCursor }).toEqual({ ids: [lines[4]!.id], nextCursor: undefined });

      expect(ids((await repo.logs(A, e.id, undefined, page(2, undefined, 3))).items)).toEqual(ids(lines.slice(3)));
      // Both lists read the same range of the run's lines, so a level cursor is a position in the unfiltered list too.
      expect(ids((await repo.logs(A, e.id, undefined, page(2, i1.nextCursor))).items)).toEqual(ids(lines.slice(1, 3)));

    });

    it('another account reads no lines', async () => {
      const B = newId('account');
      expect(await repo.logs(B, e.id, undefined, page())).toEqual({ items: [], total: 0, nextCursor: undefined });
      expect(await repo.logs(B, e.id, 'info', page())).toEqual({ items: [], total: 0, nextCursor: undefined });
    });

    it('stores each line once, in no index, with a TTL of its timestamp plus the retention period', async () => {
      const item = await raw({ pk: `ACCT#${A}`, sk: `EXECLOG#${e.id}#${lines[2]!.id}` });
      expect(LOG_RETENTION_DAYS).toBe(90);
      expect(item).toEqual({
        pk: `ACCT#${A}`,
        sk: `EXECLOG#${e.id}#${lines[2]!.id}`,
        entity: 'execution_log',
        id: lines[2]!.id,
        execution_id: e.id,
        timestamp: iso(T0 + 2000),
        level: 'warn',
        message: 'line 2',
        node_id: 'fetch',
        node_type: 'http.request',
        data: { n: 'line 2' },
        ttl: Math.floor((T0 + 2000) / 1000) + 90 * 86_400,
      });
    });

    it('log lines are not executions', async () => {
      expect(ids((await repo.list(A, {}, page())).items)).toEqual([other.id, e.id]);
    });
  });
});
