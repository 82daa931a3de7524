import { beforeEach, describe, expect, it, vi } from 'vitest';
import { MemoryLiveConnectionStore } from '../../../../functions/adapters/local/memory-live-connections.ts';
import { AppError } from '../../../../functions/core/errors.ts';
import { runTaskId, type Execution, type RunTask } from '../../../../functions/core/executions/execution.ts';
import { newId } from '../../../../functions/core/ids.ts';
import { LiveUpdates } from '../../../../functions/core/live/live-updates.ts';
import type { LiveMessage } from '../../../../functions/core/live/messages.ts';
import type { LivePusher } from '../../../../functions/core/live/ports.ts';
import { executionAt, runTaskOf } from '../../../support/execution-fixtures.ts';
import { fixedClock, principal } from '../../../support/fakes.ts';
import { MemoryExecutions } from '../../../support/memory-executions.ts';

const A = 'acct_01JAAAAAAAAAAAAAAAAAAAAAAA';
const B = 'acct_01JBBBBBBBBBBBBBBBBBBBBBBB';
const W = 'wf_01JWWWWWWWWWWWWWWWWWWWWWWW';
const NOW = '2026-03-01T10:00:00.000Z';

class RecordingPusher implements LivePusher {
  sent: { connectionId: string; message: LiveMessage }[] = [];
  disconnected: { connectionId: string; reason: string }[] = [];
  gone = new Set<string>();
  async push(connectionId: string, message: LiveMessage) {
    if (this.gone.has(connectionId)) return false;
    this.sent.push({ connectionId, message });
    return true;
  }
  async disconnect(connectionId: string, reason: string) {
    this.disconnected.push({ connectionId, reason });
  }
  to(connectionId: string) {
    return this.sent.filter((s) => s.connectionId === connectionId).map((s) => s.message);
  }
}

const runTask = (e: Execution, nodeId: string, type: string, extra: Partial<RunTask> = {}): RunTask => runTaskOf(e, nodeId, { type, createdAt: NOW, updatedAt: NOW, ...extra });

const envelope = (accountId: string, event: string, data: Record<string, unknown>, timestamp = '2026-03-01T10:00:03.000Z') => ({ id: newId('event'), event, timestamp, account_id: accountId, data });

let executions: MemoryExecutions;
let connections: MemoryLiveConnectionStore;
let pusher: RecordingPusher;
let clock: ReturnType<typeof fixedClock>;
let live: LiveUpdates;
let mine: Execution;
let theirs: Execution;

beforeEach(async () => {
  executions = new MemoryExecutions();
  connections = new MemoryLiveConnectionStore();
  pusher = new RecordingPusher();
  clock = fixedClock(NOW);
  live = new LiveUpdates({ executions, connections, pusher, clock }, { maxSubscriptions: 2 });
  mine = executionAt(A, W, Date.parse(NOW) - 5000, { status: 'running', startedAt: '2026-03-01T09:59:56.000Z' });
  theirs = executionAt(B, W, Date.parse(NOW) - 4000, { status: 'running' });
  await executions.create(mine, [runTask(mine, 'fetch', 'http.request'), runTask(mine, 'shape', 'transform')]);
  await executions.create(theirs, []);
});

const me = principal({ accountId: A });
const errorOf = async (promise: Promise<unknown>) => promise.then(() => undefined, (e: unknown) => e as AppError);

describe('LiveUpdates: subscription rules', () => {
  it('connecting with an execution (path style) subscribes at once and answers with its state now', async () => {
    const subscribed = await live.connect('c1', me, mine.id);
    expect(subscribed).toEqual({ final: false, snapshot: { type: 'execution_update', execution_id: mine.id, status: 'running', node_id: null, node_type: null, timestamp: NOW } });
    expect(await connections.subscribers(A, mine.id)).toEqual([{ connectionId: 'c1', accountId: A, executionId: mine.id, bound: true, expiresAt: '2026-03-01T12:00:00.000Z' }]);
    expect(await connections.connection('c1')).toMatchObject({ accountId: A, credentialId: me.credentialId, expiresAt: '2026-03-01T12:00:00.000Z' });
  });

  it('another account’s execution is refused exactly like an unknown one, and nothing is recorded', async () => {
    const foreign = await errorOf(live.connect('c1', me, theirs.id));
    const unknown = await errorOf(live.connect('c2', me, newId('execution')));
    const malformed = await errorOf(live.connect('c3', me, '../../etc'));
    for (const error of [foreign, unknown, malformed]) expect(error).toMatchObject({ code: 'not_found', status: 404 });
    expect(foreign!.message.replace(theirs.id, 'X')).toBe(unknown!.message.replace(/exec_\w+/, 'X'));
    expect(connections.size).toBe(0);
    expect(await connections.subscribers(B, theirs.id)).toEqual([]);
  });

  it('needs the workflows:read scope (the scope of GET /executions/{id})', async () => {
    const error = await errorOf(live.connect('c1', principal({ accountId: A, scopes: ['tasks:read'] }), mine.id));
    expect(error).toMatchObject({ code: 'forbidden' });
    expect(connections.size).toBe(0);
    await expect(live.connect('c2', principal({ accountId: A, role: 'viewer', scopes: ['workflows:read'] }), mine.id)).resolves.toBeDefined();
  });

  it('subscribe by message: only on a recorded, unexpired connection, only to its own account’s executions', async () => {
    await expect(live.subscribe('nobody', mine.id)).rejects.toMatchObject({ code: 'unauthorized' });
    await live.connect('c1', me);
    expect(await connections.subscriptions('c1')).toEqual([]);
    expect((await live.subscribe('c1', mine.id)).snapshot).toMatchObject({ type: 'execution_update', status: 'running' });
    expect(await connections.subscribers(A, mine.id)).toEqual([expect.objectContaining({ connectionId: 'c1', bound: false })]);
    await expect(live.subscribe('c1', theirs.id)).rejects.toMatchObject({ code: 'not_found' });
    clock.advance(2 * 3600 * 1000);
    await expect(live.subscribe('c1', mine.id)).rejects.toMatchObject({ code: 'unauthorized' });
  });

  it('one execution per subscription, a few per connection; subscribing again is idempotent', async () => {
    const other = executionAt(A, W, Date.parse(NOW) - 3000, { status: 'running' });
    const third = executionAt(A, W, Date.parse(NOW) - 2000, { status: 'pending' });
    for (const e of [other, third]) await executions.create(e, []);
    await live.connect('c1', me);
    await live.subscribe('c1', mine.id);
    await live.subscribe('c1', other.id);
    await live.subscribe('c1', mine.id);
    await expect(live.subscribe('c1', third.id)).rejects.toMatchObject({ code: 'invalid_request', field: 'execution_id' });
    expect((await connections.subscriptions('c1')).toSorted()).toEqual([mine.id, other.id].toSorted());
  });

  it('a finished execution answers with its final message and keeps no subscription', async () => {
    executions.executions.set(mine.id, { ...mine, status: 'failed', completedAt: '2026-03-01T09:59:59.000Z', failedNode: 'fetch', error: "Node 'fetch': HTTP request failed with status 500" });
    executions.setTask(runTaskId(mine.id, 'fetch'), { status: 'failed', error: 'HTTP request failed with status 500' });
    const subscribed = await live.connect('c1', me, mine.id);
    expect(subscribed).toEqual({
      final: true,
      snapshot: { type: 'execution_failed', execution_id: mine.id, status: 'failed', error: 'HTTP request failed with status 500', node_id: 'fetch', node_type: 'http.request', timestamp: '2026-03-01T09:59:59.000Z' },
    });
    expect(await connections.subscribers(A, mine.id)).toEqual([]);
    executions.executions.set(mine.id, { ...mine, status: 'completed', completedAt: '2026-03-01T09:59:59.000Z', result: { output: 1 } });
    expect((await live.subscribe('c1', mine.id)).snapshot).toEqual({ type: 'execution_completed', execution_id: mine.id, status: 'completed', result: { output: 1 }, timestamp: '2026-03-01T09:59:59.000Z' });
  });

  it('the snapshot is read after the subscription is recorded, so an end in between is not missed', async () => {
    const get = vi.spyOn(executions, 'get');
    await live.connect('c1', me, mine.id);
    // Once for the tenancy check, once after recording the subscription.
    expect(get).toHaveBeenCalledTimes(2);
  });
});

describe('LiveUpdates: notifications', () => {
  it('tells nobody and reads nothing when no one watches the execution', async () => {
    const task = vi.spyOn(executions, 'task');
    const get = vi.spyOn(executions, 'get');
    expect(await live.notify(envelope(A, 'task.completed', { execution_id: mine.id, node_id: 'fetch', type: 'http.request', task_id: runTaskId(mine.id, 'fetch') }))).toEqual({ delivered: 0, gone: 0 });
    expect(task).not.toHaveBeenCalled();
    expect(get).not.toHaveBeenCalled();
  });

  it('sends each subscriber the message, with the node’s result read from the store', async () => {
    await live.connect('c1', me, mine.id);
    await live.connect('c2', me);
    await live.subscribe('c2', mine.id);
    executions.setTask(runTaskId(mine.id, 'fetch'), { status: 'completed', result: { status_code: 200, body: { key: 'value' } } });
    const result = await live.notify(envelope(A, 'task.completed', { execution_id: mine.id, node_id: 'fetch', type: 'http.request', task_id: runTaskId(mine.id, 'fetch') }));
    expect(result).toEqual({ delivered: 2, gone: 0 });
    const expected = { type: 'node_completed', execution_id: mine.id, node_id: 'fetch', node_type: 'http.request', result: { status_code: 200, body: { key: 'value' } }, timestamp: '2026-03-01T10:00:03.000Z' };
    expect(pusher.to('c1')).toEqual([expected]);
    expect(pusher.to('c2')).toEqual([expected]);
  });

  it('never crosses accounts: an event of another account with the same execution id reaches no one here', async () => {
    await live.connect('c1', me, mine.id);
    expect(await live.notify(envelope(B, 'workflow.started', { execution_id: mine.id }))).toEqual({ delivered: 0, gone: 0 });
    expect(pusher.sent).toEqual([]);
  });

  it('after the final message a path-style connection is closed and an action subscription simply ends', async () => {
    await live.connect('bound', me, mine.id);
    await live.connect('free', me);
    await live.subscribe('free', mine.id);
    executions.executions.set(mine.id, { ...mine, status: 'completed', result: { output: 'value' } });
    await live.notify(envelope(A, 'workflow.completed', { execution_id: mine.id, status: 'completed' }));
    expect(pusher.to('bound')).toEqual([{ type: 'execution_completed', execution_id: mine.id, status: 'completed', result: { output: 'value' }, timestamp: '2026-03-01T10:00:03.000Z' }]);
    expect(pusher.to('free')).toHaveLength(1);
    expect(pusher.disconnected).toEqual([{ connectionId: 'bound', reason: 'execution finished' }]);
    expect(await connections.connection('bound')).toBeUndefined();
    expect(await connections.connection('free')).toBeDefined();
    expect(await connections.subscribers(A, mine.id)).toEqual([]);
  });

  it('execution_failed names the failed node with its type and own error', async () => {
    await live.connect('c1', me, mine.id);
    executions.setTask(runTaskId(mine.id, 'fetch'), { status: 'failed', error: 'HTTP request failed with status 500' });
    await live.notify(envelope(A, 'workflow.failed', { execution_id: mine.id, status: 'failed', error: "Node 'fetch': HTTP request failed with status 500", failed_node: 'fetch' }));
    expect(pusher.to('c1')).toEqual([
      { type: 'execution_failed', execution_id: mine.id, status: 'failed', error: 'HTTP request failed with status 500', node_id: 'fetch', node_type: 'http.request', timestamp: '2026-03-01T10:00:03.000Z' },
    ]);
  });

  it('forgets connections that are gone, and skips expired subscriptions', async () => {
    await live.connect('gone', me, mine.id);
    await live.connect('later', me, mine.id);
    pusher.gone.add('gone');
    expect(await live.notify(envelope(A, 'workflow.started', { execution_id: mine.id }))).toEqual({ delivered: 1, gone: 1 });
    expect(await connections.connection('gone')).toBeUndefined();
    clock.advance(2 * 3600 * 1000 + 1);
    expect(await live.notify(envelope(A, 'workflow.started', { execution_id: mine.id }))).toEqual({ delivered: 0, gone: 0 });
  });

  it('replaces a result too big for one WebSocket message by a pointer to the REST API', async () => {
    live = new LiveUpdates({ executions, connections, pusher, clock }, { maxResultBytes: 100 });
    await live.connect('c1', me, mine.id);
    executions.executions.set(mine.id, { ...mine, status: 'completed', result: { blob: 'x'.repeat(500) } });
    await live.notify(envelope(A, 'workflow.completed', { execution_id: mine.id }));
    expect(pusher.to('c1')[0]).toMatchObject({ type: 'execution_completed', result: { truncated: true, size_bytes: 511, href: `/api/v1/executions/${mine.id}` } });
  });

  it('disconnect forgets the connection and every subscription', async () => {
    await live.connect('c1', me, mine.id);
    await live.disconnect('c1');
    expect(connections.size).toBe(0);
    expect(await connections.subscribers(A, mine.id)).toEqual([]);
  });
});
