import { describe, expect, it } from 'vitest';
import { EVENT_TYPES, INTERNAL_EVENT_TYPES, isEventType, type PublishedEvent } from '../../../../functions/core/events/catalog.ts';
import { ChangeFeed, eventId, type ChangeMapper, type EntityChange } from '../../../../functions/core/events/change-feed.ts';
import { CORE_CHANGE_MAPPERS, type StoredRunTask } from '../../../../functions/core/events/change-mappers.ts';
import type { Execution, LogLine } from '../../../../functions/core/executions/execution.ts';
import type { Task } from '../../../../functions/core/tasks/task.ts';
import type { Workflow } from '../../../../functions/core/workflows/workflow.ts';
import { EVENT_SOURCE_ENTITIES } from '../../../../lib/definitions/change-stream.ts';
import { CHANGE_MAPPERS } from '../../../../functions/adapters/dynamodb/event-sources.ts';
import { runTaskOf } from '../../../support/execution-fixtures.ts';

const A = 'acct_01JAAAAAAAAAAAAAAAAAAAAAAA';
const W = 'wf_01JBBBBBBBBBBBBBBBBBBBBBBB';
const E = 'exec_01JCCCCCCCCCCCCCCCCCCCCCCC';
const T = 'task_01JDDDDDDDDDDDDDDDDDDDDDDD';
const RT = 'task_01JEEEEEEEEEEEEEEEEEEEEEEE';
const AT = '2026-03-01T10:05:00.000Z';

const feed = new ChangeFeed(CORE_CHANGE_MAPPERS);
let seq = 0;
function change<T>(entity: string, old: T | undefined, next: T | undefined, changeId = `change-${(seq += 1)}`): EntityChange<T> {
  return { entity, changeId, at: AT, accountId: A, ...(old ? { old } : {}), ...(next ? { new: next } : {}) };
}
/** Events without their ids (checked on their own below). */
const eventsOf = (c: EntityChange) => feed.eventsOf(c).map(({ id, ...rest }) => {
  expect(id).toMatch(/^evt_[0-9A-HJKMNP-TV-Z]{26}$/);
  return rest;
});

const task: Task = {
  id: T,
  accountId: A,
  name: 'Write report',
  description: 'Q1 numbers',
  status: 'pending',
  priority: 'high',
  dueDate: '2026-03-10T00:00:00.000Z',
  tags: ['finance'],
  createdBy: 'usr_01JFFFFFFFFFFFFFFFFFFFFFFF',
  createdAt: '2026-03-01T10:00:00.000Z',
  updatedAt: '2026-03-01T10:00:00.000Z',
  version: 1,
};
const taskData = (t: Task) => ({
  task_id: t.id,
  id: t.id,
  name: t.name,
  description: t.description,
  status: t.status,
  priority: t.priority,
  due_date: t.dueDate,
  tags: [...t.tags],
  created_by: t.createdBy,
  created_at: t.createdAt,
  updated_at: t.updatedAt,
  version: t.version,
});

const workflow: Workflow = {
  id: W,
  accountId: A,
  name: 'Nightly export',
  description: null,
  status: 'active',
  tags: ['etl'],
  dialect: 'flowctl',
  source: { tasks: [{ name: 'a', type: 'http.request' }] },
  version: 1,
  revision: 1,
  machine: { stateMachineArn: 'arn:sm', versionArn: 'arn:sm:1', aliasArn: 'arn:sm:live' },
  nodes: [],
  createdBy: null,
  createdAt: '2026-03-01T09:00:00.000Z',
  updatedAt: '2026-03-01T09:00:00.000Z',
};
const workflowData = (w: Workflow) => ({
  workflow_id: w.id,
  id: w.id,
  workflow_name: w.name,
  name: w.name,
  description: w.description,
  status: w.status,
  dialect: w.dialect,
  version: w.version,
  tags: [...w.tags],
  created_by: w.createdBy,
  created_at: w.createdAt,
  updated_at: w.updatedAt,
});

const pending: Execution = {
  id: E,
  accountId: A,
  workflowId: W,
  workflowName: 'Nightly export',
  version: 2,
  status: 'pending',
  input: { day: '2026-03-01' },
  result: null,
  error: null,
  failedNode: null,
  executionArn: 'arn:exec',
  sinks: ['b'],
  taskCount: 2,
  redriveCount: 0,
  records: null,
  trigger: 'schedule',
  createdBy: null,
  createdAt: '2026-03-01T10:00:00.000Z',
  startedAt: null,
  completedAt: null,
  durationMs: null,
};
const running: Execution = { ...pending, status: 'running', startedAt: '2026-03-01T10:00:01.000Z' };
const finished = (status: 'completed' | 'failed' | 'timed_out' | 'cancelled', extra: Partial<Execution> = {}): Execution => ({
  ...running,
  status,
  completedAt: '2026-03-01T10:00:04.420Z',
  durationMs: 3420,
  error: status === 'completed' ? null : `it ${status}`,
  failedNode: status === 'failed' ? 'load' : null,
  records: { processed: 1247, failed: 3 },
  result: { ok: status === 'completed' },
  ...extra,
});
const runData = (e: Execution) => ({
  workflow_id: W,
  workflow_name: 'Nightly export',
  execution_id: E,
  status: e.status,
  version: 2,
  trigger: 'schedule',
  redrive_count: e.redriveCount,
  started_at: '2026-03-01T10:00:01.000Z',
});

const runTask: StoredRunTask = {
  ...runTaskOf({ id: E, accountId: A, workflowId: W, createdAt: '2026-03-01T10:00:00.000Z' }, 'load', { id: RT, name: 'Load rows', payload: { url: 'https://example.com' } }),
  mapped: false,
};
const runTaskData = (t: StoredRunTask) => ({
  task_id: RT,
  id: RT,
  execution_id: E,
  workflow_id: W,
  node_id: 'load',
  name: 'Load rows',
  type: 'http.request',
  status: t.status,
  retry_count: t.retryCount,
  max_retries: 2,
  error: t.error,
  started_at: t.startedAt,
  completed_at: t.completedAt,
  records_processed: t.records ? t.records.processed : null,
  records_failed: t.records ? t.records.failed : null,
});

describe('tasks', () => {
  it('task.created carries the task, at its creation time', () => {
    expect(eventsOf(change('task', undefined, task))).toEqual([{ event: 'task.created', timestamp: task.createdAt, account_id: A, data: taskData(task) }]);
  });

  it('task.updated says which fields changed and what they were, at the update time', () => {
    const next: Task = { ...task, status: 'in_progress', tags: ['finance', 'q1'], updatedAt: '2026-03-01T11:00:00.000Z', version: 2 };
    expect(eventsOf(change('task', task, next))).toEqual([
      {
        event: 'task.updated',
        timestamp: '2026-03-01T11:00:00.000Z',
        account_id: A,
        data: { ...taskData(next), changed_fields: ['status', 'tags'], previous: { status: 'pending', tags: ['finance'] } },
      },
    ]);
  });

  it('a write that changes nothing a client sees (only version and updated_at) is no event', () => {
    expect(eventsOf(change('task', task, { ...task, updatedAt: '2026-03-01T11:00:00.000Z', version: 2 }))).toEqual([]);
  });

  it('task.deleted carries the task as it was, at the change time', () => {
    expect(eventsOf(change('task', task, undefined))).toEqual([{ event: 'task.deleted', timestamp: AT, account_id: A, data: taskData(task) }]);
  });
});

describe('workflows', () => {
  it('workflow.created carries the definition’s summary, never the definition itself', () => {
    const [event] = eventsOf(change('workflow', undefined, workflow));
    expect(event).toEqual({ event: 'workflow.created', timestamp: workflow.createdAt, account_id: A, data: workflowData(workflow) });
    expect(JSON.stringify(event)).not.toContain('http.request');
  });

  it('workflow.updated names the changed fields; a new definition shows as a new version', () => {
    const next: Workflow = { ...workflow, version: 2, revision: 2, status: 'paused', updatedAt: '2026-03-01T12:00:00.000Z', source: { tasks: [] } };
    expect(eventsOf(change('workflow', workflow, next))).toEqual([
      {
        event: 'workflow.updated',
        timestamp: '2026-03-01T12:00:00.000Z',
        account_id: A,
        data: { ...workflowData(next), changed_fields: ['status', 'version'], previous: { status: 'active', version: 1 } },
      },
    ]);
  });

  it('a revision-only write is no event; workflow.deleted carries the workflow as it was', () => {
    expect(eventsOf(change('workflow', workflow, { ...workflow, revision: 2, updatedAt: AT }))).toEqual([]);
    expect(eventsOf(change('workflow', workflow, undefined))).toEqual([{ event: 'workflow.deleted', timestamp: AT, account_id: A, data: workflowData(workflow) }]);
  });
});

describe('executions', () => {
  it('recording a pending run is no event; pending → running is workflow.started at the start time', () => {
    expect(eventsOf(change('execution', undefined, pending))).toEqual([]);
    expect(eventsOf(change('execution', pending, running))).toEqual([{ event: 'workflow.started', timestamp: running.startedAt, account_id: A, data: runData(running) }]);
  });

  it('completed: workflow.completed (FlowCtl and CloudFlow fields) and pipeline.completed (CloudFlow pipeline fields)', () => {
    const done = finished('completed');
    const outcome = { completed_at: '2026-03-01T10:00:04.420Z', duration_ms: 3420, error: null, failed_node: null, records_processed: 1247, records_failed: 3 };
    expect(eventsOf(change('execution', running, done))).toEqual([
      { event: 'workflow.completed', timestamp: done.completedAt, account_id: A, data: { ...runData(done), ...outcome } },
      { event: 'pipeline.completed', timestamp: done.completedAt, account_id: A, data: { pipeline_id: W, ...runData(done), ...outcome, error_rate: 0.24 } },
    ]);
  });

  it('failed: workflow.failed and pipeline.failed with the error and the failed node', () => {
    const failed = finished('failed', { records: null });
    const outcome = { completed_at: '2026-03-01T10:00:04.420Z', duration_ms: 3420, error: 'it failed', failed_node: 'load', records_processed: null, records_failed: null };
    expect(eventsOf(change('execution', running, failed))).toEqual([
      { event: 'workflow.failed', timestamp: failed.completedAt, account_id: A, data: { ...runData(failed), ...outcome } },
      { event: 'pipeline.failed', timestamp: failed.completedAt, account_id: A, data: { pipeline_id: W, ...runData(failed), ...outcome, error_rate: null } },
    ]);
  });

  it('timed out counts as failed (the catalog has no timeout event), with status timed_out', () => {
    expect(eventsOf(change('execution', running, finished('timed_out'))).map((e) => [e.event, e.data.status])).toEqual([
      ['workflow.failed', 'timed_out'],
      ['pipeline.failed', 'timed_out'],
    ]);
  });

  it('cancelled is workflow.cancelled only (CloudFlow has no cancelled pipeline)', () => {
    const cancelled = finished('cancelled', { records: null });
    expect(eventsOf(change('execution', running, cancelled))).toEqual([
      {
        event: 'workflow.cancelled',
        timestamp: cancelled.completedAt,
        account_id: A,
        data: { ...runData(cancelled), completed_at: cancelled.completedAt, duration_ms: 3420, error: 'it cancelled', failed_node: null, records_processed: null, records_failed: null },
      },
    ]);
  });

  it('a failure before the run started (could not start) is still workflow.failed', () => {
    const failed: Execution = { ...pending, status: 'failed', completedAt: AT, durationMs: 0, error: 'Could not start: boom' };
    expect(eventsOf(change('execution', pending, failed)).map((e) => e.event)).toEqual(['workflow.failed', 'pipeline.failed']);
  });

  it('a redrive’s RUNNING is workflow.started again, with redrive_count, at the change time', () => {
    const failed = finished('failed');
    const redriven: Execution = { ...failed, status: 'running', redriveCount: 1, completedAt: null, durationMs: null, error: null, failedNode: null };
    expect(eventsOf(change('execution', failed, redriven))).toEqual([{ event: 'workflow.started', timestamp: AT, account_id: A, data: { ...runData(redriven), redrive_count: 1 } }]);
  });

  it('writes that do not move the status (same status, same attempt) and removals are no events', () => {
    expect(eventsOf(change('execution', running, { ...running, taskCount: 3 }))).toEqual([]);
    const done = finished('completed');
    expect(eventsOf(change('execution', done, { ...done, records: { processed: 1, failed: 0 } }))).toEqual([]);
    expect(eventsOf(change('execution', done, undefined))).toEqual([]);
  });
});

describe('run tasks', () => {
  const at = (t: Partial<StoredRunTask>, updatedAt: string): StoredRunTask => ({ ...runTask, ...t, updatedAt });

  it('task.started, task.retrying, task.started (second attempt) and task.completed, each at its write time', () => {
    const first = at({ status: 'running', startedAt: '2026-03-01T10:00:02.000Z' }, '2026-03-01T10:00:02.000Z');
    const retrying = at({ ...first, status: 'retrying', error: 'HTTP request failed with status 503' }, '2026-03-01T10:00:03.000Z');
    const second = at({ ...retrying, status: 'running', retryCount: 1 }, '2026-03-01T10:00:05.000Z');
    const done = at({ ...second, status: 'completed', error: null, completedAt: '2026-03-01T10:00:06.000Z', records: { processed: 10, failed: 1 } }, '2026-03-01T10:00:06.000Z');
    expect([change('run_task', runTask, first), change('run_task', first, retrying), change('run_task', retrying, second), change('run_task', second, done)].flatMap(eventsOf)).toEqual([
      { event: 'task.started', timestamp: first.updatedAt, account_id: A, data: runTaskData(first) },
      { event: 'task.retrying', timestamp: retrying.updatedAt, account_id: A, data: runTaskData(retrying) },
      { event: 'task.started', timestamp: second.updatedAt, account_id: A, data: runTaskData(second) },
      { event: 'task.completed', timestamp: done.updatedAt, account_id: A, data: runTaskData(done) },
    ]);
    expect(runTaskData(done)).toMatchObject({ retry_count: 1, records_processed: 10, records_failed: 1 });
  });

  it('task.failed carries the error', () => {
    const started = at({ status: 'running', startedAt: AT }, AT);
    const failed = at({ ...started, status: 'failed', error: 'HTTP request failed with status 500', completedAt: AT }, AT);
    expect(eventsOf(change('run_task', started, failed))).toEqual([{ event: 'task.failed', timestamp: AT, account_id: A, data: runTaskData(failed) }]);
  });

  it('creation (pending), pending, cancelled, skipped, same-status writes and removals are no events', () => {
    const started = at({ status: 'running' }, AT);
    expect(
      [
        change('run_task', undefined, runTask),
        change('run_task', started, at({ status: 'cancelled' }, AT)),
        change('run_task', runTask, at({ status: 'skipped' }, AT)),
        change('run_task', at({ status: 'failed' }, AT), at({ status: 'pending' }, AT)),
        change('run_task', started, at({ status: 'running', error: 'x' }, AT)),
        change('run_task', started, undefined),
      ].flatMap(eventsOf),
    ).toEqual([]);
  });

  it('inside a map, only the first start and failures are told, not the per-item running ↔ completed flips', () => {
    const m = (status: StoredRunTask['status']) => at({ status, mapped: true }, AT);
    const events = [
      change('run_task', m('pending'), m('running')),
      change('run_task', m('running'), m('completed')),
      change('run_task', m('completed'), m('running')),
      change('run_task', m('running'), m('retrying')),
      change('run_task', m('retrying'), m('running')),
      change('run_task', m('running'), m('failed')),
    ].flatMap(eventsOf);
    expect(events.map((e) => e.event)).toEqual(['task.started', 'task.retrying', 'task.started', 'task.failed']);
  });
});

describe('execution log lines (internal)', () => {
  const line: LogLine = { id: 'log_01', executionId: E, timestamp: '2026-03-01T10:00:02.123Z', level: 'info', message: "Node 'load' started", nodeId: 'load', nodeType: 'http.request', data: { attempt: 1 } };

  it('each new line is one execution.log event, which is internal and not in the catalog', () => {
    expect(eventsOf(change('execution_log', undefined, line))).toEqual([
      {
        event: 'execution.log',
        timestamp: line.timestamp,
        account_id: A,
        data: { execution_id: E, id: 'log_01', timestamp: line.timestamp, level: 'info', message: "Node 'load' started", node_id: 'load', node_type: 'http.request', data: { attempt: 1 } },
      },
    ]);
    expect(isEventType('execution.log')).toBe(false);
    expect(INTERNAL_EVENT_TYPES).toEqual(['execution.log']);
  });

  it('a line’s expiry or rewrite is no event', () => {
    expect(eventsOf(change('execution_log', line, undefined))).toEqual([]);
    expect(eventsOf(change('execution_log', line, line))).toEqual([]);
  });
});

describe('the feed', () => {
  it('covers every catalog event but webhook.disabled and approval.* (the webhooks and approvals features map their own entities)', () => {
    const done = finished('completed');
    const seen = new Set<string>(
      [
        change('task', undefined, task),
        change('task', task, { ...task, name: 'x' }),
        change('task', task, undefined),
        change('workflow', undefined, workflow),
        change('workflow', workflow, { ...workflow, name: 'x' }),
        change('workflow', workflow, undefined),
        change('execution', pending, running),
        change('execution', running, done),
        change('execution', running, finished('failed')),
        change('execution', running, finished('cancelled')),
        change('run_task', runTask, { ...runTask, status: 'running' }),
        change('run_task', runTask, { ...runTask, status: 'completed' }),
        change('run_task', runTask, { ...runTask, status: 'failed' }),
        change('run_task', runTask, { ...runTask, status: 'retrying' }),
      ].flatMap((c) => feed.eventsOf(c).map((e) => e.event)),
    );
    expect(EVENT_TYPES.filter((e) => !seen.has(e))).toEqual(['approval.requested', 'approval.decided', 'webhook.disabled']);
  });

  it('maps every entity the event source lets through (lib/definitions/change-stream.ts), with the features’ mappers wired in', () => {
    expect(new ChangeFeed(CHANGE_MAPPERS).entities.toSorted()).toEqual([...EVENT_SOURCE_ENTITIES].toSorted());
  });

  it('gives each event a deterministic id: the same change yields the same ids, another change others', () => {
    const done = finished('completed');
    const first = feed.eventsOf(change('execution', running, done, 'stream-event-1'));
    const again = feed.eventsOf(change('execution', running, done, 'stream-event-1'));
    const other = feed.eventsOf(change('execution', running, done, 'stream-event-2'));
    expect(again.map((e) => e.id)).toEqual(first.map((e) => e.id));
    // One change, two events: two ids.
    expect(new Set(first.map((e) => e.id)).size).toBe(2);
    expect(other.map((e) => e.id)).not.toContain(first[0]!.id);
  });

  it('ids are evt_ ULIDs whose time is the event’s, so they sort by when things happened', () => {
    const id = eventId('stream-event-1', 'task.created', '2026-03-01T10:00:00.000Z');
    expect(id).toMatch(/^evt_[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(id.slice(4, 14)).toBe(eventId('other', 'task.updated', '2026-03-01T10:00:00.000Z').slice(4, 14));
    expect(eventId('a', 'task.created', '2026-03-01T10:00:00.000Z') < eventId('a', 'task.created', '2026-03-01T10:00:00.001Z')).toBe(true);
  });

  it('ignores entities it has no mapper for, and takes mappers for new entities without touching the core ones', () => {
    expect(feed.eventsOf(change('session', undefined, { id: 's' }))).toEqual([]);
    const webhooks: ChangeMapper<{ id: string; disabled: boolean }> = {
      entity: 'webhook',
      map: ({ old, new: next }) => (next?.disabled && !old?.disabled ? [{ event: 'webhook.disabled', data: { webhook_id: next.id } }] : []),
    };
    const extended = new ChangeFeed([...CORE_CHANGE_MAPPERS, webhooks]);
    const events: PublishedEvent[] = extended.eventsOf(change('webhook', { id: 'whk_1', disabled: false }, { id: 'whk_1', disabled: true }, 'c-1'));
    expect(events).toEqual([{ id: eventId('c-1', 'webhook.disabled', AT), event: 'webhook.disabled', timestamp: AT, account_id: A, data: { webhook_id: 'whk_1' } }]);
  });

  it('refuses two mappers for one entity', () => {
    expect(() => new ChangeFeed([...CORE_CHANGE_MAPPERS, { entity: 'task', map: () => [] }])).toThrow("Two change mappers for entity 'task'");
  });
});
