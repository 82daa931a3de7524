import { executionName, runTaskId, type Execution, type RunTask } from '../../functions/core/executions/execution.ts';
import { newId } from '../../functions/core/ids.ts';

/** An execution record as the repository holds it; override what the test is about. */
export function executionAt(accountId: string, workflowId: string, createdAtMs: number, overrides: Partial<Execution> = {}): Execution {
  const id = newId('execution', createdAtMs);
  return {
    id,
    accountId,
    workflowId,
    workflowName: 'wf',
    version: 1,
    status: 'pending',
    input: {},
    result: null,
    error: null,
    failedNode: null,
    executionArn: `arn:aws:states:us-east-1:1:execution:stepwise-dev-${workflowId}:${executionName(id, accountId)}`,
    sinks: [],
    taskCount: 0,
    redriveCount: 0,
    records: null,
    trigger: 'manual',
    createdBy: null,
    createdAt: new Date(createdAtMs).toISOString(),
    startedAt: null,
    completedAt: null,
    durationMs: null,
    ...overrides,
  };
}

/** The same execution after it finished `durationMs` after starting at `startMs`. */
export function finishedAt(e: Execution, status: 'completed' | 'failed' | 'cancelled' | 'timed_out', startMs: number, durationMs: number, extra: Partial<Execution> = {}): Execution {
  return {
    ...e,
    status,
    startedAt: new Date(startMs).toISOString(),
    completedAt: new Date(startMs + durationMs).toISOString(),
    durationMs,
    error: status === 'completed' ? null : `${status}!`,
    ...extra,
  };
}

/** One node of an execution as the repository holds it (pending, an `http.request` by default). */
export function runTaskOf(e: Pick<Execution, 'id' | 'accountId' | 'workflowId' | 'createdAt'>, nodeId: string, overrides: Partial<RunTask> = {}): RunTask {
  return {
    id: runTaskId(e.id, nodeId),
    accountId: e.accountId,
    executionId: e.id,
    workflowId: e.workflowId,
    nodeId,
    name: nodeId,
    type: 'http.request',
    status: 'pending',
    payload: {},
    result: null,
    resultTruncated: false,
    error: null,
    retryCount: 0,
    maxRetries: 2,
    priority: null,
    dependencies: [],
    parent: null,
    runnerTask: true,
    records: null,
    createdAt: e.createdAt,
    updatedAt: e.createdAt,
    startedAt: null,
    completedAt: null,
    ...overrides,
  };
}
