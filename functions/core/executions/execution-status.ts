import type { Clock } from '../clock.ts';
import { parseFailureCause, RUNNER_ERRORS } from '../../../statemachines/task-runner-contract.ts';
import { isTerminal, parseExecutionName, type Execution, type ExecutionStatus, type RunTask, type RunTaskStatus } from './execution.ts';
import type { ExecutionRepository, ExecutionTransition, TaskSettlement } from './ports.ts';
import type { ExecutionTransitions } from './transitions.ts';

/**
 * The `detail` of EventBridge's "Step Functions Execution Status Change" event (the fields used).
 * The local engine emits the same shape, so both modes share this code.
 */
export interface StatusChangeDetail {
  executionArn: string;
  name?: string | undefined;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'PENDING_REDRIVE' | string;
  startDate?: number | null | undefined;
  stopDate?: number | null | undefined;
  error?: string | null | undefined;
  cause?: string | null | undefined;
  redriveCount?: number | null | undefined;
}


const STATUS: Record<string, ExecutionStatus> = {
  RUNNING: 'running',
  SUCCEEDED: 'completed',
  FAILED: 'failed',
  TIMED_OUT: 'timed_out',
  ABORTED: 'cancelled',
};

const rank = (s: ExecutionStatus) => (s === 'pending' ? 0 : s === 'running' ? 1 : 2);

export type ApplyOutcome = 'applied' | 'ignored' | 'unknown_execution';

/**
 * Applies status events idempotently. Events arrive at least once and in any order: a change is
 * applied only if it is newer, by redrive count first, then by lifecycle (pending → running →
 * terminal). A terminal status is final for its redrive attempt.
 */
export class ExecutionStatusService {
  constructor(
    private readonly repo: ExecutionRepository,
    private readonly transitions: ExecutionTransitions,
    private readonly clock: Clock,
    /** Approvals still pending when a run ends are closed with it (core/approvals). */
    private readonly approvals?: { close(accountId: string, executionId: string, status: 'expired' | 'closed', at: string): Promise<void> },
  ) {}

  async apply(detail: StatusChangeDetail): Promise<ApplyOutcome> {
    const status = STATUS[detail.status];
    const ref = parseExecutionName(detail.name ?? detail.executionArn);
    if (!status || !ref) return 'ignored';
    const redriveCount = detail.redriveCount ?? 0;
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const current = await this.repo.get(ref.accountId, ref.executionId);
      if (!current) return 'unknown_execution';
      if (redriveCount < current.redriveCount) return 'ignored';
      if (redriveCount === current.redriveCount && rank(status) <= rank(current.status)) return 'ignored';
      const tasks = isTerminal(status) ? await this.repo.tasks(current.accountId, current.id) : [];
      const change = this.transitionFor(current, status, redriveCount, detail, tasks);
      const next = await this.transitions.move(current, change, tasks);
      if (!next) continue;
      if (isTerminal(status)) await this.settle(next, tasks);
      return 'applied';
    }
    throw new Error(`Execution ${ref.executionId} kept changing while applying ${detail.status}`);
  }

  private transitionFor(current: Execution, status: ExecutionStatus, redriveCount: number, detail: StatusChangeDetail, tasks: RunTask[]): ExecutionTransition {
    const startedAt = current.startedAt ?? (detail.startDate ? new Date(detail.startDate).toISOString() : this.clock.now().toISOString());
    if (!isTerminal(status)) return { status, redriveCount, startedAt };
    const stop = detail.stopDate ?? this.clock.now().getTime();
    const failure = parseFailureCause(detail.cause);
    const byNode = new Map(tasks.map((t) => [t.nodeId, t]));
    const records = tasks.some((t) => t.records)
      ? tasks.reduce((sum, t) => ({ processed: sum.processed + (t.records?.processed ?? 0), failed: sum.failed + (t.records?.failed ?? 0) }), { processed: 0, failed: 0 })
      : null;
    return {
      status,
      redriveCount,
      startedAt,
      completedAt: new Date(stop).toISOString(),
      durationMs: Math.max(0, stop - Date.parse(startedAt)),
      result: status === 'completed' ? resultOf(current.sinks, byNode) : null,
      error: status === 'completed' ? null : errorOf(status, detail, failure),
      failedNode: failure?.failed_node ?? null,
      records,
    };
  }

  /** Tasks left open by the end of the run: skipped branches, or work the failure cut short. */
  private async settle(execution: Execution, tasks: RunTask[]): Promise<void> {
    const at = execution.completedAt ?? this.clock.now().toISOString();
    // Every node the run leaves unfinished is marked halted: the runner's first write for it refuses (the run's status check rides on that write).
    const halted = execution.status;
    const changes: TaskSettlement[] = [];
    if (execution.status === 'completed') {
      for (const [task, status] of settleSucceeded(tasks)) changes.push({ taskId: task.id, status, at, halted });
    } else {
      for (const task of tasks) {
        // A cancelled run never resumes those nodes on its own, so they end with it; a failed one keeps them pending for redrive.
        if (task.status === 'pending') {
          changes.push({ taskId: task.id, status: execution.status === 'cancelled' ? 'cancelled' : 'pending', at, halted });
        } else if (task.status === 'running' || task.status === 'retrying' || task.status === 'waiting') {
          const error = execution.status === 'timed_out' ? 'The execution timed out' : task.nodeId === execution.failedNode ? (task.error ?? execution.error) : 'Stopped because the execution ended';
          changes.push({ taskId: task.id, status: task.nodeId === execution.failedNode ? 'failed' : 'cancelled', at, error, halted });
        }
      }
    }
    if (changes.length) await this.repo.settleTasks(execution.accountId, execution.id, changes);
    if (execution.status !== 'completed') await this.approvals?.close(execution.accountId, execution.id, execution.error?.includes(RUNNER_ERRORS.approvalTimeout) ? 'expired' : 'closed', at);
  }


}

/** An execution's result: its one sink's output, or every sink's output by node id. */
export function resultOf(sinks: readonly string[], byNode: Map<string, RunTask>): unknown {
  const outputs = sinks.map((id) => [id, byNode.get(id)] as const).filter(([, t]) => t?.status === 'completed');
  if (sinks.length === 1) return outputs[0]?.[1]?.result ?? null;
  return Object.fromEntries(outputs.map(([id, t]) => [id, t?.result ?? null]));
}

function errorOf(status: ExecutionStatus, detail: StatusChangeDetail, failure: ReturnType<typeof parseFailureCause>): string {
  if (failure) return `Node '${failure.failed_node}' (${failure.node_type}) failed: ${lambdaMessage(failure.cause) || failure.error}`;
  if (status === 'timed_out') return 'The execution timed out';
  if (status === 'cancelled') return detail.cause || 'The execution was stopped';
  return [detail.error, detail.cause].filter(Boolean).join(': ') || 'The execution failed';
}

/**
 * After a successful run, a node still pending either ran as a native state (Pass, Wait, Fail,
 * or the Parallel/Map around others) or sat on a choice branch that was not taken. A node ran if
 * the runner ran it, or if it is native and its predecessors let it run (at least one ran, none
 * pending), inside a parallel or map that ran.
 */
function settleSucceeded(tasks: RunTask[]): Map<RunTask, RunTaskStatus> {
  const state = new Map(tasks.map((t) => [t.nodeId, t.status] as [string, RunTaskStatus]));
  const out = new Map<RunTask, RunTaskStatus>();
  let changed = true;
  while (changed) {
    changed = false;
    for (const task of tasks) {
      if (state.get(task.nodeId) !== 'pending') continue;
      const parent = task.parent === null ? 'completed' : state.get(task.parent);
      const deps = task.dependencies.map((d) => state.get(d));
      if (parent === 'pending' || deps.some((s) => s === 'pending')) continue;
      const ran = parent === 'completed' && (deps.length === 0 || deps.some((s) => s === 'completed'));
      const verdict: RunTaskStatus = ran && !task.runnerTask ? 'completed' : 'skipped';
      state.set(task.nodeId, verdict);
      out.set(task, verdict);
      changed = true;
    }
  }
  return out;
}

/** A Lambda function error's cause is `{"errorType","errorMessage","trace"}` as JSON; the message is what people read. */
export function lambdaMessage(cause: string): string {
  if (!cause.startsWith('{')) return cause;
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown };
    return typeof parsed.errorMessage === 'string' ? parsed.errorMessage : cause;
  } catch {
    return cause;
  }
}
