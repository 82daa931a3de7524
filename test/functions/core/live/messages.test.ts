import { describe, expect, it } from 'vitest';
import type { PublishedEvent } from '../../../../functions/core/events/catalog.ts';
import { ChangeFeed, type EntityChange } from '../../../../functions/core/events/change-feed.ts';
import { CORE_CHANGE_MAPPERS, type StoredRunTask } from '../../../../functions/core/events/change-mappers.ts';
import type { Execution, LogLine } from '../../../../functions/core/executions/execution.ts';
import { isFinalMessage, liveEventOf, messageOf, type LiveEvent } from '../../../../functions/core/live/messages.ts';
import { executionAt, runTaskOf } from '../../../support/execution-fixtures.ts';

const A = 'acct_01JAAAAAAAAAAAAAAAAAAAAAAA';
const W = 'wf_01JBBBBBBBBBBBBBBBBBBBBBBB';
const AT = '2026-03-01T10:05:00.000Z';

// Events are made by the real change feed, so the mapping reads exactly what the pipeline publishes.
const feed = new ChangeFeed(CORE_CHANGE_MAPPERS);
let seq = 0;
function eventsOf<T>(entity: string, old: T | undefined, next: T | undefined): PublishedEvent[] {
  const change: EntityChange<T> = { entity, changeId: `c${(seq += 1)}`, at: AT, accountId: A, ...(old ? { old } : {}), ...(next ? { new: next } : {}) };
  return feed.eventsOf(change);
}
function live(event: PublishedEvent): LiveEvent {
  const e = liveEventOf(event);
  if (!e) throw new Error(`${event.event} is not a live event`);
  return e;
}

const running: Execution = executionAt(A, W, Date.parse('2026-03-01T10:00:00.000Z'), { status: 'running', startedAt: '2026-03-01T10:00:01.000Z' });
const E = running.id;
const pending: Execution = { ...running, status: 'pending', startedAt: null };

function runTask(nodeId: string, type: string, status: StoredRunTask['status'], extra: Partial<StoredRunTask> = {}): StoredRunTask {
  return { ...runTaskOf(running, nodeId, { type, status, createdAt: AT, updatedAt: '2026-03-01T10:00:02.000Z' }), mapped: false, ...extra };
}

/** FlowRunner's field order for each message type (the seed's examples). */
const FIELDS = {
  execution_update: ['type', 'execution_id', 'status', 'node_id', 'node_type', 'timestamp'],
  node_completed: ['type', 'execution_id', 'node_id', 'node_type', 'result', 'timestamp'],
  execution_completed: ['type', 'execution_id', 'status', 'result', 'timestamp'],
  execution_failed: ['type', 'execution_id', 'status', 'error', 'node_id', 'node_type', 'timestamp'],
  log: ['type', 'execution_id', 'level', 'message', 'node_id', 'node_type', 'data', 'timestamp'],
};

describe('live messages: FlowRunner’s WebSocket messages from bus events', () => {
  it('workflow.started → execution_update running, at no node', () => {
    const [started] = eventsOf('execution', pending, running);
    const message = messageOf(live(started!));
    expect(message).toEqual({ type: 'execution_update', execution_id: E, status: 'running', node_id: null, node_type: null, timestamp: '2026-03-01T10:00:01.000Z' });
    expect(Object.keys(message)).toEqual(FIELDS.execution_update);
  });

  it('task.started / task.retrying / task.failed → execution_update with the node’s status, id and type', () => {
    const started = messageOf(live(eventsOf('run_task', runTask('fetch', 'http.request', 'pending'), runTask('fetch', 'http.request', 'running'))[0]!));
    expect(started).toEqual({ type: 'execution_update', execution_id: E, status: 'running', node_id: 'fetch', node_type: 'http.request', timestamp: '2026-03-01T10:00:02.000Z' });
    expect(Object.keys(started)).toEqual(FIELDS.execution_update);
    const retrying = messageOf(live(eventsOf('run_task', runTask('fetch', 'http.request', 'running'), runTask('fetch', 'http.request', 'retrying'))[0]!));
    expect(retrying).toMatchObject({ type: 'execution_update', status: 'retrying', node_id: 'fetch', node_type: 'http.request' });
    const failed = messageOf(live(eventsOf('run_task', runTask('fetch', 'http.request', 'running'), runTask('fetch', 'http.request', 'failed', { error: 'boom' }))[0]!));
    expect(failed).toMatchObject({ type: 'execution_update', status: 'failed', node_id: 'fetch' });
    expect(isFinalMessage(failed)).toBe(false);
  });

  it('task.completed → node_completed with the result handed in (events carry no outputs)', () => {
    const [completed] = eventsOf('run_task', runTask('shape', 'transform', 'running'), runTask('shape', 'transform', 'completed', { result: { big: true } }));
    const message = messageOf(live(completed!), { result: { status_code: 200, body: { key: 'value' } } });
    expect(message).toEqual({ type: 'node_completed', execution_id: E, node_id: 'shape', node_type: 'transform', result: { status_code: 200, body: { key: 'value' } }, timestamp: '2026-03-01T10:00:02.000Z' });
    expect(Object.keys(message)).toEqual(FIELDS.node_completed);
    expect(messageOf(live(completed!))).toMatchObject({ result: null });
  });

  it('workflow.completed → execution_completed with the execution’s result, and it is final', () => {
    const done: Execution = { ...running, status: 'completed', completedAt: '2026-03-01T10:00:05.000Z', durationMs: 4000, result: { output: 'value' } };
    const events = eventsOf('execution', running, done);
    // The pipeline also says pipeline.completed; live updates take the workflow.* one only.
    expect(events.map((e) => e.event)).toEqual(['workflow.completed', 'pipeline.completed']);
    expect(liveEventOf(events[1])).toBeUndefined();
    const message = messageOf(live(events[0]!), { result: { output: 'value' } });
    expect(message).toEqual({ type: 'execution_completed', execution_id: E, status: 'completed', result: { output: 'value' }, timestamp: '2026-03-01T10:00:05.000Z' });
    expect(Object.keys(message)).toEqual(FIELDS.execution_completed);
    expect(isFinalMessage(message)).toBe(true);
  });

  it('workflow.failed → execution_failed naming the node, with the node’s own error when known', () => {
    const failed: Execution = { ...running, status: 'failed', completedAt: '2026-03-01T10:00:02.000Z', error: "Node 'start': HTTP request failed with status 500", failedNode: 'start' };
    const [event] = eventsOf('execution', running, failed);
    const message = messageOf(live(event!), { nodeType: 'http.request', nodeError: 'HTTP request failed with status 500' });
    expect(message).toEqual({
      type: 'execution_failed',
      execution_id: E,
      status: 'failed',
      error: 'HTTP request failed with status 500',
      node_id: 'start',
      node_type: 'http.request',
      timestamp: '2026-03-01T10:00:02.000Z',
    });
    expect(Object.keys(message)).toEqual(FIELDS.execution_failed);
    // Without the node's facts, the execution's own error stands.
    expect(messageOf(live(event!))).toMatchObject({ error: "Node 'start': HTTP request failed with status 500", node_id: 'start', node_type: null });
  });

  it('a timeout and a cancellation are execution_failed too, with their own status', () => {
    const timedOut = messageOf(live(eventsOf('execution', running, { ...running, status: 'timed_out', error: 'States.Timeout', completedAt: AT })[0]!));
    expect(timedOut).toMatchObject({ type: 'execution_failed', status: 'timed_out', error: 'States.Timeout', node_id: null, node_type: null });
    const cancelled = messageOf(live(eventsOf('execution', running, { ...running, status: 'cancelled', error: 'Cancelled by usr_1', completedAt: AT })[0]!));
    expect(cancelled).toMatchObject({ type: 'execution_failed', status: 'cancelled', error: 'Cancelled by usr_1', node_id: null });
    expect(isFinalMessage(cancelled)).toBe(true);
  });

  it('execution.log → log with level, message, node and data', () => {
    const line: LogLine = { id: 'log_1', executionId: E, timestamp: '2026-03-01T10:00:01.500Z', level: 'info', message: 'HTTP request successful', nodeId: 'start', nodeType: 'http.request', data: { status_code: 200, url: 'https://api.example.com/data' } };
    const message = messageOf(live(eventsOf('execution_log', undefined, line)[0]!));
    expect(message).toEqual({
      type: 'log',
      execution_id: E,
      level: 'info',
      message: 'HTTP request successful',
      node_id: 'start',
      node_type: 'http.request',
      data: { status_code: 200, url: 'https://api.example.com/data' },
      timestamp: '2026-03-01T10:00:01.500Z',
    });
    expect(Object.keys(message)).toEqual(FIELDS.log);
    const plain = messageOf(live(eventsOf('execution_log', undefined, { ...line, nodeId: null, nodeType: null, data: null })[0]!));
    expect(plain).toMatchObject({ node_id: null, node_type: null, data: null });
  });

  it('ignores what is not about an execution: the user’s to-do tasks, pipeline events, malformed envelopes', () => {
    const todo = { id: 'evt_1', event: 'task.created', timestamp: AT, account_id: A, data: { task_id: 'task_1' } };
    expect(liveEventOf(todo)).toBeUndefined();
    expect(liveEventOf({ ...todo, event: 'task.started' })).toBeUndefined(); // no execution_id
    expect(liveEventOf({ ...todo, event: 'pipeline.failed', data: { execution_id: E } })).toBeUndefined();
    expect(liveEventOf({ ...todo, event: 'workflow.started', account_id: 7, data: { execution_id: E } })).toBeUndefined();
    expect(liveEventOf(null)).toBeUndefined();
    expect(liveEventOf('workflow.started')).toBeUndefined();
    expect(liveEventOf({ ...todo, event: 'workflow.started', data: { execution_id: E } })).toEqual({ event: 'workflow.started', accountId: A, executionId: E, timestamp: AT, data: { execution_id: E } });
  });
});
