/**
 * Executions (runs of a workflow) and their tasks (one per node), in FlowRunner's, FlowCtl's and
 * CloudFlow's vocabulary (docs/api.md#executions).
 */
import { createHash } from 'node:crypto';
import { encodeTime } from 'ulid';

export const EXECUTION_STATUSES = ['pending', 'running', 'completed', 'failed', 'cancelled', 'timed_out'] as const;
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];
export const TERMINAL_STATUSES: ReadonlySet<ExecutionStatus> = new Set(['completed', 'failed', 'cancelled', 'timed_out']);
export const isTerminal = (status: ExecutionStatus) => TERMINAL_STATUSES.has(status);

/**
 * A workflow task's status in one run (FlowCtl), plus `skipped` for nodes on a choice branch that
 * was not taken (FlowCtl has no choices, so it never needed the word) and `waiting` for an approval
 * waiting for its decision (docs/api.md#approvals).
 */
export const RUN_TASK_STATUSES = ['pending', 'running', 'retrying', 'waiting', 'completed', 'failed', 'cancelled', 'skipped'] as const;
export type RunTaskStatus = (typeof RUN_TASK_STATUSES)[number];

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** What an execution needs to know about each node, fixed when the workflow version is published. */
export interface NodeManifest {
  readonly id: string;
  readonly type: string;
  readonly name: string;
  /** Direct predecessors in its own graph. */
  readonly dependencies: readonly string[];
  /** The parallel or map node whose nested graph holds it; null at the top level. */
  readonly parent: string | null;
  readonly maxRetries: number;
  readonly priority: number | null;
  readonly timeoutSeconds: number | null;
  /** The node's params as written (templates unresolved): FlowCtl's `payload`. */
  readonly payload: Record<string, unknown>;
  /** True when a runner Task state executes it (false: native Pass/Wait/Fail, or structure). */
  readonly runnerTask: boolean;
}

export interface RecordCounts {
  readonly processed: number;
  readonly failed: number;
}

export interface Execution {
  readonly id: string;
  readonly accountId: string;
  readonly workflowId: string;
  readonly workflowName: string;
  /** The published definition version that ran. */
  readonly version: number;
  readonly status: ExecutionStatus;
  readonly input: unknown;
  readonly result: unknown;
  readonly error: string | null;
  /** The node the failure came from, when it came from one. */
  readonly failedNode: string | null;
  /** Step Functions' execution ARN (a local look-alike in local mode). */
  readonly executionArn: string;
  /** Top-level nodes nothing depends on: their outputs make the execution's `result`. */
  readonly sinks: readonly string[];
  readonly taskCount: number;
  /** Each redrive adds one; status events of an older attempt never overwrite a newer one. */
  readonly redriveCount: number;
  readonly records: RecordCounts | null;
  readonly trigger: ExecutionTrigger;
  readonly createdBy: string | null;
  readonly createdAt: string;
  readonly startedAt: string | null;
  readonly completedAt: string | null;
  readonly durationMs: number | null;
  /** Set on a child execution: the run and the `subworkflow` node that started it (docs/api.md, "Subworkflows"). */
  readonly parent?: ExecutionParent | null | undefined;
}

export interface ExecutionParent {
  readonly executionId: string;
  readonly nodeId: string;
  /** Inside a map: the iteration (`MapContext.key`) whose node started it. */
  readonly mapKey?: string | undefined;
  /** Nesting of this execution: 1 for a child of a top-level run; at most MAX_SUBWORKFLOW_DEPTH. */
  readonly depth: number;
}

/** How deep subworkflows may nest; the start of an 11th level fails (a cycle the validator could not see). */
export const MAX_SUBWORKFLOW_DEPTH = 10;

export type ExecutionTrigger = 'manual' | 'create' | 'schedule' | 'webhook' | 'event' | 'subworkflow';

export interface RunTask {
  readonly id: string;
  readonly accountId: string;
  readonly executionId: string;
  readonly workflowId: string;
  readonly nodeId: string;
  readonly name: string;
  readonly type: string;
  readonly status: RunTaskStatus;
  readonly payload: Record<string, unknown>;
  readonly result: unknown;
  /** True when `result` was cut to fit the store (the node's output was larger). */
  readonly resultTruncated: boolean;
  readonly error: string | null;
  /** Attempts so far minus one. */
  readonly retryCount: number;
  readonly maxRetries: number;
  readonly priority: number | null;
  readonly dependencies: readonly string[];
  /** The parallel or map node around it; null at the top level. */
  readonly parent: string | null;
  /** False for nodes the machine runs natively (they never reach the runner). */
  readonly runnerTask: boolean;
  readonly records: RecordCounts | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly startedAt: string | null;
  readonly completedAt: string | null;
}

export interface LogLine {
  readonly id: string;
  readonly executionId: string;
  readonly timestamp: string;
  readonly level: LogLevel;
  readonly message: string;
  readonly nodeId: string | null;
  readonly nodeType: string | null;
  readonly data: Record<string, unknown> | null;
}

/**
 * A task's id is derived from its execution and node: the runner, the status handler and the API
 * all name the same record without looking anything up, and a repeated start writes the same ids.
 * It is still a well-formed `task_` ULID (the execution's time, then 80 bits of hash).
 */
export function runTaskId(executionId: string, nodeId: string): string {
  const time = executionId.slice('exec_'.length, 'exec_'.length + 10);
  const digest = createHash('sha256').update(`${executionId}\u0000${nodeId}`).digest();
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  let bits = 0n;
  for (const byte of digest.subarray(0, 10)) bits = (bits << 8n) | BigInt(byte);
  let random = '';
  for (let i = 0; i < 16; i += 1) {
    random = alphabet[Number(bits & 31n)] + random;
    bits >>= 5n;
  }
  return `task_${time}${random}`;
}

/** The ULID time prefix of ids created at `iso` (for created-between ranges on id-sorted keys). */
export const idTimePrefix = (iso: string): string => encodeTime(Date.parse(iso), 10);

/**
 * Execution names carry the account so a status event, which names only the execution, finds its
 * record; both halves are ULID ids, so the name stays within Step Functions' 80 characters and charset.
 */
export function executionName(executionId: string, accountId: string): string {
  return `${executionId}-${accountId}`;
}

export function parseExecutionName(nameOrArn: string): { executionId: string; accountId: string } | undefined {
  const name = nameOrArn.slice(nameOrArn.lastIndexOf(':') + 1);
  const match = /^(exec_[0-9A-HJKMNP-TV-Z]{26})-(acct_[0-9A-HJKMNP-TV-Z]{26})$/.exec(name);
  return match ? { executionId: match[1]!, accountId: match[2]! } : undefined;
}
