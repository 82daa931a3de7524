/**
 * The catalog's events (catalog.ts), each derived from a change of the entity that holds the fact.
 * `data` follows the seeds: FlowCtl's `{workflow_id, workflow_name, status}` and CloudFlow's
 * `{workflow_id, execution_id, status, duration_ms, records_processed}`, plus the ids and times a
 * subscriber needs to act without calling back. Large fields (definitions, inputs, results) stay out:
 * EventBridge caps an event at 256 KB, and a subscriber who wants them reads them through the API.
 */
import { isTerminal, type Execution, type LogLine, type RunTask } from '../executions/execution.ts';
import type { Task } from '../tasks/task.ts';
import type { Workflow } from '../workflows/workflow.ts';
import type { ChangeMapper, EntityChange, EventDraft } from './change-feed.ts';

/** Field by field, which of `fields` differ (arrays by value); with their previous values. */
function differences<T>(old: T, next: T, fields: Readonly<Record<string, (value: T) => unknown>>): { changed_fields: string[]; previous: Record<string, unknown> } | undefined {
  const previous: Record<string, unknown> = {};
  for (const [name, read] of Object.entries(fields)) {
    if (JSON.stringify(read(old)) !== JSON.stringify(read(next))) previous[name] = read(old);
  }
  const changed = Object.keys(previous);
  return changed.length ? { changed_fields: changed, previous } : undefined;
}

/** Lifecycle of a change: created, updated or deleted (a mapper's switch). */
function kindOf<T>(change: EntityChange<T>): { kind: 'created'; next: T } | { kind: 'updated'; old: T; next: T } | { kind: 'deleted'; old: T } | undefined {
  if (change.new !== undefined && change.old === undefined) return { kind: 'created', next: change.new };
  if (change.new !== undefined && change.old !== undefined) return { kind: 'updated', old: change.old, next: change.new };
  if (change.old !== undefined) return { kind: 'deleted', old: change.old };
  return undefined;
}

// ---- tasks (the user's to-do tasks: AstraFlow, Behflow, FlowCtl) ----

export function taskData(t: Task): Record<string, unknown> {
  return {
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
  };
}

/** What a client can see change; `version` and `updated_at` move on every write and say nothing by themselves. */
const TASK_FIELDS: Readonly<Record<string, (t: Task) => unknown>> = {
  name: (t) => t.name,
  description: (t) => t.description,
  status: (t) => t.status,
  priority: (t) => t.priority,
  due_date: (t) => t.dueDate,
  tags: (t) => t.tags,
};

export const taskChanges: ChangeMapper<Task> = {
  entity: 'task',
  map(change) {
    const c = kindOf(change);
    if (c?.kind === 'created') return [{ event: 'task.created', timestamp: c.next.createdAt, data: taskData(c.next) }];
    // A deletion has no time of its own on the record: the change's time is when it happened.
    if (c?.kind === 'deleted') return [{ event: 'task.deleted', data: taskData(c.old) }];
    if (c?.kind !== 'updated') return [];
    const diff = differences(c.old, c.next, TASK_FIELDS);
    return diff ? [{ event: 'task.updated', timestamp: c.next.updatedAt, data: { ...taskData(c.next), ...diff } }] : [];
  },
};

// ---- workflow definitions ----

export function workflowData(w: Workflow): Record<string, unknown> {
  return {
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
  };
}

/** `version` moves exactly when the definition does (PUT publishes a new one); `revision` moves on every write. */
const WORKFLOW_FIELDS: Readonly<Record<string, (w: Workflow) => unknown>> = {
  name: (w) => w.name,
  description: (w) => w.description,
  status: (w) => w.status,
  tags: (w) => w.tags,
  version: (w) => w.version,
};

export const workflowChanges: ChangeMapper<Workflow> = {
  entity: 'workflow',
  map(change) {
    const c = kindOf(change);
    if (c?.kind === 'created') return [{ event: 'workflow.created', timestamp: c.next.createdAt, data: workflowData(c.next) }];
    if (c?.kind === 'deleted') return [{ event: 'workflow.deleted', data: workflowData(c.old) }];
    if (c?.kind !== 'updated') return [];
    const diff = differences(c.old, c.next, WORKFLOW_FIELDS);
    return diff ? [{ event: 'workflow.updated', timestamp: c.next.updatedAt, data: { ...workflowData(c.next), ...diff } }] : [];
  },
};

// ---- executions: workflow.* run events and CloudFlow's pipeline.* ----

function executionData(e: Execution): Record<string, unknown> {
  return {
    workflow_id: e.workflowId,
    workflow_name: e.workflowName,
    execution_id: e.id,
    status: e.status,
    version: e.version,
    trigger: e.trigger,
    redrive_count: e.redriveCount,
    started_at: e.startedAt,
  };
}

function outcomeData(e: Execution): Record<string, unknown> {
  return {
    completed_at: e.completedAt,
    duration_ms: e.durationMs,
    error: e.error,
    failed_node: e.failedNode,
    records_processed: e.records ? e.records.processed : null,
    records_failed: e.records ? e.records.failed : null,
  };
}

/** CloudFlow's pipeline view of a finished run (as GET /pipelines/{id}/executions shows it). */
function pipelineData(e: Execution): Record<string, unknown> {
  return {
    pipeline_id: e.workflowId,
    ...executionData(e),
    ...outcomeData(e),
    error_rate: e.records ? (e.records.processed === 0 ? 0 : Math.round((e.records.failed / e.records.processed) * 10_000) / 100) : null,
  };
}

/** The catalog has no `workflow.timed_out`: a timeout is a failure, with `status: "timed_out"` saying which kind. */
const TERMINAL_EVENT = { completed: 'workflow.completed', failed: 'workflow.failed', timed_out: 'workflow.failed', cancelled: 'workflow.cancelled' } as const;
/** CloudFlow names no cancelled pipeline: a cancelled run is only `workflow.cancelled`. */
const PIPELINE_EVENT = { completed: 'pipeline.completed', failed: 'pipeline.failed', timed_out: 'pipeline.failed' } as const;

/**
 * Events come from status transitions only: a new status, or a new redrive attempt (whose RUNNING
 * is `workflow.started` again, with `redrive_count` > 0). Every workflow is also a pipeline (as in
 * GET /pipelines/{id}/executions), so each completed or failed run is announced in both
 * vocabularies; a subscriber picks one family.
 */
export const executionChanges: ChangeMapper<Execution> = {
  entity: 'execution',
  map({ old, new: e, at }) {
    if (!e) return [];
    if (old && old.status === e.status && old.redriveCount === e.redriveCount) return [];
    if (e.status === 'running') {
      // A redrive keeps the first start time, so its own start is the change's time.
      return [{ event: 'workflow.started', timestamp: e.redriveCount > 0 ? at : (e.startedAt ?? at), data: executionData(e) }];
    }
    if (!isTerminal(e.status)) return [];
    const timestamp = e.completedAt ?? at;
    const events: EventDraft[] = [{ event: TERMINAL_EVENT[e.status as keyof typeof TERMINAL_EVENT], timestamp, data: { ...executionData(e), ...outcomeData(e) } }];
    const pipeline = PIPELINE_EVENT[e.status as keyof typeof PIPELINE_EVENT] as EventDraft['event'] | undefined;
    if (pipeline) events.push({ event: pipeline, timestamp, data: pipelineData(e) });
    return events;
  },
};

// ---- a run's tasks (FlowCtl's task.* events) ----

/**
 * A run task as stored, plus whether it sits inside a map: such a node runs once per item on the
 * same record, which shows its latest iteration, so its status flips running ↔ completed per item.
 */
export type StoredRunTask = RunTask & { readonly mapped: boolean };

function runTaskData(t: StoredRunTask): Record<string, unknown> {
  return {
    task_id: t.id,
    id: t.id,
    execution_id: t.executionId,
    workflow_id: t.workflowId,
    node_id: t.nodeId,
    name: t.name,
    type: t.type,
    status: t.status,
    retry_count: t.retryCount,
    max_retries: t.maxRetries,
    error: t.error,
    started_at: t.startedAt,
    completed_at: t.completedAt,
    records_processed: t.records ? t.records.processed : null,
    records_failed: t.records ? t.records.failed : null,
  };
}

const RUN_TASK_EVENT = { running: 'task.started', completed: 'task.completed', failed: 'task.failed', retrying: 'task.retrying' } as const;

/**
 * Status transitions of a run's tasks. `task.started` is each attempt's start (so a retried node
 * reports started, retrying, started, …, completed). Inside a map the per-item running ↔ completed
 * flips are not told (they would be noise, and the node's end is its run's `workflow.*` event):
 * only starts after pending or retrying, and failures. `pending`, `cancelled` and `skipped` are
 * not catalog events.
 */
export const runTaskChanges: ChangeMapper<StoredRunTask> = {
  entity: 'run_task',
  map({ old, new: t }) {
    if (!t || old?.status === t.status) return [];
    const event = RUN_TASK_EVENT[t.status as keyof typeof RUN_TASK_EVENT] as EventDraft['event'] | undefined;
    if (!event) return [];
    if (t.mapped && (t.status === 'completed' || (t.status === 'running' && old?.status === 'completed'))) return [];
    return [{ event, timestamp: t.updatedAt, data: runTaskData(t) }];
  },
};

// ---- execution log lines (internal: live updates) ----

/** Each new line once; lines are never edited, and their TTL expiry is not news. */
export const logChanges: ChangeMapper<LogLine> = {
  entity: 'execution_log',
  map({ old, new: line }) {
    if (!line || old) return [];
    return [
      {
        event: 'execution.log',
        timestamp: line.timestamp,
        data: { execution_id: line.executionId, id: line.id, timestamp: line.timestamp, level: line.level, message: line.message, node_id: line.nodeId, node_type: line.nodeType, data: line.data },
      },
    ];
  },
};

/** The mappers of the entities this module knows; others (webhooks) add theirs next to these in functions/adapters/dynamodb/event-sources.ts. */
export const CORE_CHANGE_MAPPERS: readonly ChangeMapper[] = [taskChanges, workflowChanges, executionChanges, runTaskChanges, logChanges];
