/**
 * Item shapes of executions, their tasks and log lines, shared by the executions repository and
 * the task runner's journal (which must stay small: it is bundled into the runner alone).
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Execution, LogLine, RunTask } from '../../core/executions/execution.ts';
import { keys } from './keys.ts';

type Item = Record<string, unknown>;

/** Values above this are stored gzipped: an input and a result of 256 KB each must fit one 400 KB item. */
const INLINE_JSON_BYTES = 16 * 1024;
/** Log lines are kept this long (DynamoDB TTL); the execution record itself is kept. */
export const LOG_RETENTION_DAYS = 90;

export function packJson(name: string, value: unknown): Item {
  const json = JSON.stringify(value ?? null);
  return Buffer.byteLength(json) > INLINE_JSON_BYTES ? { [`${name}_gz`]: gzipSync(json) } : { [name]: value ?? null };
}

export function unpackJson(item: Item, name: string): unknown {
  const packed = item[`${name}_gz`];
  if (packed instanceof Uint8Array) return JSON.parse(gunzipSync(packed).toString('utf8')) as unknown;
  return item[name] ?? null;
}

export function executionItem(e: Execution): Item {
  return {
    ...keys.execution(e.accountId, e.id),
    entity: 'execution',
    ...statusKeys(e),
    gsi1pk: keys.executionsOfWorkflow(e.accountId, e.workflowId),
    gsi1sk: e.id,
    id: e.id,
    account_id: e.accountId,
    workflow_id: e.workflowId,
    workflow_name: e.workflowName,
    version: e.version,
    status: e.status,
    ...packJson('input', e.input),
    ...packJson('result', e.result),
    error: e.error,
    failed_node: e.failedNode,
    execution_arn: e.executionArn,
    sinks: [...e.sinks],
    task_count: e.taskCount,
    redrive_count: e.redriveCount,
    records: e.records,
    trigger: e.trigger,
    created_by: e.createdBy,
    created_at: e.createdAt,
    started_at: e.startedAt,
    completed_at: e.completedAt,
    duration_ms: e.durationMs,
    ...(e.parent
      ? {
          gsi4pk: keys.childExecutions(e.accountId, e.parent.executionId),
          gsi4sk: e.id,
          parent_execution_id: e.parent.executionId,
          parent_node_id: e.parent.nodeId,
          ...(e.parent.mapKey !== undefined ? { parent_map_key: e.parent.mapKey } : {}),
          depth: e.parent.depth,
        }
      : {}),
  };
}

/** The index keys that move with an execution's status. */
export function statusKeys(e: Pick<Execution, 'accountId' | 'workflowId' | 'id' | 'status'>): Item {
  return {
    gsi2pk: keys.executionsByStatus(e.accountId, e.status),
    gsi2sk: e.id,
    gsi3pk: keys.executionsOfWorkflowByStatus(e.accountId, e.workflowId, e.status),
    gsi3sk: e.id,
  };
}

export function executionFromItem(i: Item): Execution {
  return {
    id: String(i.id),
    accountId: String(i.account_id),
    workflowId: String(i.workflow_id),
    workflowName: String(i.workflow_name),
    version: Number(i.version),
    status: i.status as Execution['status'],
    input: unpackJson(i, 'input'),
    result: unpackJson(i, 'result'),
    error: (i.error as string | null | undefined) ?? null,
    failedNode: (i.failed_node as string | null | undefined) ?? null,
    executionArn: String(i.execution_arn),
    sinks: (i.sinks as string[] | undefined) ?? [],
    taskCount: Number(i.task_count ?? 0),
    redriveCount: Number(i.redrive_count ?? 0),
    records: (i.records as Execution['records'] | undefined) ?? null,
    trigger: (i.trigger as Execution['trigger'] | undefined) ?? 'manual',
    createdBy: (i.created_by as string | null | undefined) ?? null,
    createdAt: String(i.created_at),
    startedAt: (i.started_at as string | null | undefined) ?? null,
    completedAt: (i.completed_at as string | null | undefined) ?? null,
    durationMs: i.duration_ms === null || i.duration_ms === undefined ? null : Number(i.duration_ms),
    // Only child runs carry one, so a top-level execution reads back exactly as it was written.
    ...(typeof i.parent_execution_id === 'string' ? { parent: { executionId: i.parent_execution_id, nodeId: String(i.parent_node_id), ...(typeof i.parent_map_key === 'string' ? { mapKey: i.parent_map_key } : {}), depth: Number(i.depth ?? 1) } } : {}),
  };
}

export function runTaskItem(t: RunTask): Item {
  return {
    ...keys.runTask(t.accountId, t.id),
    entity: 'run_task',
    gsi1pk: keys.tasksOfExecution(t.accountId, t.executionId),
    gsi1sk: t.nodeId,
    id: t.id,
    account_id: t.accountId,
    execution_id: t.executionId,
    workflow_id: t.workflowId,
    node_id: t.nodeId,
    name: t.name,
    type: t.type,
    status: t.status,
    payload: t.payload,
    result: t.result,
    result_truncated: t.resultTruncated,
    error: t.error,
    attempts: 0,
    max_retries: t.maxRetries,
    priority: t.priority,
    dependencies: [...t.dependencies],
    parent: t.parent,
    runner_task: t.runnerTask,
    // Plain numbers, not a map, so map iterations can ADD to them.
    ...(t.records ? { records_processed: t.records.processed, records_failed: t.records.failed } : {}),
    created_at: t.createdAt,
    updated_at: t.updatedAt,
    // Absent rather than null until set: the runner's first attempt writes them with if_not_exists.
    ...(t.startedAt ? { started_at: t.startedAt } : {}),
    ...(t.completedAt ? { completed_at: t.completedAt } : {}),
  };
}

export function runTaskFromItem(i: Item): RunTask {
  return {
    id: String(i.id),
    accountId: String(i.account_id),
    executionId: String(i.execution_id),
    workflowId: String(i.workflow_id),
    nodeId: String(i.node_id),
    name: String(i.name),
    type: String(i.type),
    status: i.status as RunTask['status'],
    payload: (i.payload as Record<string, unknown> | undefined) ?? {},
    result: i.result ?? null,
    resultTruncated: i.result_truncated === true,
    error: (i.error as string | null | undefined) ?? null,
    retryCount: Math.max(0, Number(i.attempts ?? 0) - 1),
    maxRetries: Number(i.max_retries ?? 0),
    priority: i.priority === null || i.priority === undefined ? null : Number(i.priority),
    dependencies: (i.dependencies as string[] | undefined) ?? [],
    parent: (i.parent as string | null | undefined) ?? null,
    runnerTask: i.runner_task !== false,
    records: i.records_processed !== undefined || i.records_failed !== undefined ? { processed: Number(i.records_processed ?? 0), failed: Number(i.records_failed ?? 0) } : null,
    createdAt: String(i.created_at),
    updatedAt: String(i.updated_at),
    startedAt: (i.started_at as string | null | undefined) ?? null,
    completedAt: (i.completed_at as string | null | undefined) ?? null,
  };
}

export function logItem(accountId: string, line: LogLine): Item {
  return {
    ...keys.executionLog(accountId, line.executionId, line.id),
    // In no index: a level is a filter on the run's own log range, so a line costs one write, not two.
    entity: 'execution_log',
    id: line.id,
    execution_id: line.executionId,
    timestamp: line.timestamp,
    level: line.level,
    message: line.message,
    node_id: line.nodeId,
    node_type: line.nodeType,
    data: line.data,
    ttl: Math.floor(Date.parse(line.timestamp) / 1000) + LOG_RETENTION_DAYS * 86_400,
  };
}

export function logFromItem(i: Item): LogLine {
  return {
    id: String(i.id),
    executionId: String(i.execution_id),
    timestamp: String(i.timestamp),
    level: i.level as LogLine['level'],
    message: String(i.message),
    nodeId: (i.node_id as string | null | undefined) ?? null,
    nodeType: (i.node_type as string | null | undefined) ?? null,
    data: (i.data as Record<string, unknown> | null | undefined) ?? null,
  };
}
