import type { ExecutionStatus, RunTaskStatus } from '../executions/execution.ts';
import type { TaskStatus } from '../tasks/task.ts';

/** Rollup granularities: 5-minute, hourly and daily buckets, aligned to UTC. */
export const GRANULARITIES = ['5m', '1h', '1d'] as const;
export type Granularity = (typeof GRANULARITIES)[number];

/** What one rollup bucket of a workflow holds: sums over the executions counted into it. */
export interface RollupCounts {
  /** Executions whose (latest) terminal status fell in the bucket. */
  readonly executions: number;
  readonly completed: number;
  readonly failed: number;
  readonly timedOut: number;
  readonly cancelled: number;
  /** Failures and time-outs as they happened: never taken back when the run is redriven. */
  readonly errors: number;
  /** Sum of the durations of the completed executions (for the average). */
  readonly completedDurationMs: number;
  readonly recordsProcessed: number;
  readonly recordsFailed: number;
}

export interface RollupBucket extends RollupCounts {
  /** The bucket's start, ISO 8601 UTC. */
  readonly start: string;
}

/** One ADD into one bucket. */
export interface RollupWrite {
  readonly accountId: string;
  readonly workflowId: string;
  readonly granularity: Granularity;
  /** ISO 8601 start of the bucket. */
  readonly bucket: string;
  readonly deltas: Partial<RollupCounts>;
  /** Epoch seconds after which the bucket may be deleted (DynamoDB TTL). */
  readonly expiresAt: number;
  /**
   * Taking a count back (a redrive) only applies to a bucket that still exists: an expired bucket
   * must not come back holding negative numbers.
   */
  readonly onlyIfPresent: boolean;
}

/** Per-workflow rollups, written by the execution observer and read by analytics. */
export interface RollupStore {
  add(write: RollupWrite): Promise<void>;
  /** Buckets of one granularity with `from <= start < to` (ISO instants); missing buckets are simply absent. */
  read(accountId: string, workflowId: string, granularity: Granularity, from: string, to: string): Promise<RollupBucket[]>;
}

/** The account's counters as `/metrics` needs them; every number is maintained on writes. */
export interface AccountCounts {
  readonly workflowsTotal: number;
  readonly executionsTotal: number;
  readonly executions: Readonly<Record<ExecutionStatus, number>>;
  readonly runTasksTotal: number;
  readonly runTasks: Readonly<Record<RunTaskStatus, number>>;
  /** Runner attempts executing now (attempt records in `running`). */
  readonly workersActive: number;
  /** Runner attempts waiting out a retry backoff (attempt records in `retrying`). */
  readonly workersIdle: number;
  readonly userTasksTotal: number;
  readonly userTasks: Readonly<Record<TaskStatus, number>>;
}

export interface AccountCountsReader {
  read(accountId: string): Promise<AccountCounts>;
}
