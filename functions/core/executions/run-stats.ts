import type { Execution } from './execution.ts';
import type { ExecutionObserver } from './transitions.ts';

/** Per-workflow run statistics, kept on every status change so reads never touch executions. */
export interface WorkflowRunStats {
  readonly workflowId: string;
  readonly lastRunAt: string | null;
  readonly lastExecutionId: string | null;
  readonly lastStatus: Execution['status'] | null;
  /** Runs started (a redrive is the same run). */
  readonly totalRuns: number;
  readonly completed: number;
  readonly failed: number;
  readonly cancelled: number;
  readonly timedOut: number;
  /** Sum of the durations of completed runs, for the average. */
  readonly completedDurationMs: number;
  readonly lastError: string | null;
}

export interface RunStatsStore extends ExecutionObserver {
  get(accountId: string, workflowIds: readonly string[]): Promise<Map<string, WorkflowRunStats>>;
}

export const emptyStats = (workflowId: string): WorkflowRunStats => ({
  workflowId,
  lastRunAt: null,
  lastExecutionId: null,
  lastStatus: null,
  totalRuns: 0,
  completed: 0,
  failed: 0,
  cancelled: 0,
  timedOut: 0,
  completedDurationMs: 0,
  lastError: null,
});

/** CloudFlow's per-workflow `metrics`: success rate in percent over finished runs, average duration of completed ones. */
export function metricsOf(stats: WorkflowRunStats) {
  const finished = stats.completed + stats.failed + stats.cancelled + stats.timedOut;
  return {
    total_runs: stats.totalRuns,
    success_rate: finished === 0 ? null : Math.round((stats.completed / finished) * 10_000) / 100,
    avg_duration_ms: stats.completed === 0 ? null : Math.round(stats.completedDurationMs / stats.completed),
    last_error: stats.lastError,
  };
}
