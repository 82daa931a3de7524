import type { Page, PageRequest } from '../pagination.ts';
import type { Execution, ExecutionStatus, LogLevel, LogLine, RecordCounts, RunTask, RunTaskStatus } from './execution.ts';

/** One task's status as a run ends, is cancelled or redriven (ExecutionRepository.settleTasks). */
export interface TaskSettlement {
  readonly taskId: string;
  readonly status: RunTaskStatus;
  readonly at: string;
  readonly error?: string | null;
  readonly halted?: ExecutionStatus | null;
}

export interface ExecutionFilter {
  workflowId?: string | undefined;
  /** Only the child executions this run's subworkflow nodes started. */
  parentExecutionId?: string | undefined;
  status?: ExecutionStatus | undefined;
  /** ISO instants bounding when the execution was created (inclusive). */
  startDate?: string | undefined;
  endDate?: string | undefined;
}

/** A status change to apply; `expect` is the status it was read in (optimistic). */
export interface ExecutionTransition {
  readonly status: ExecutionStatus;
  readonly redriveCount: number;
  readonly startedAt?: string | undefined;
  readonly completedAt?: string | null | undefined;
  readonly durationMs?: number | null | undefined;
  readonly result?: unknown;
  readonly error?: string | null | undefined;
  readonly failedNode?: string | null | undefined;
  readonly records?: RecordCounts | null | undefined;
}

export interface IdempotentStart {
  readonly key: string;
  /** A digest of what was asked (workflow and input), to tell a replay from a different request. */
  readonly fingerprint: string;
}

export interface ExecutionRepository {
  /**
   * Writes the execution, its tasks and (with an idempotency key) the key's claim. When the key
   * is already claimed, nothing is written and the claim's execution id and fingerprint come back.
   */
  create(execution: Execution, tasks: readonly RunTask[], idempotency?: IdempotentStart): Promise<{ created: true } | { created: false; executionId: string; fingerprint: string }>;
  get(accountId: string, executionId: string): Promise<Execution | undefined>;
  list(accountId: string, filter: ExecutionFilter, page: PageRequest): Promise<Page<Execution>>;
  /** The newest execution of a workflow. */
  latest(accountId: string, workflowId: string): Promise<Execution | undefined>;
  /** Executions of a workflow that are not finished (pending or running). */
  active(accountId: string, workflowId: string): Promise<Execution[]>;
  /** Child executions of a run (subworkflow starts) that are not finished. */
  activeChildren(accountId: string, parentExecutionId: string): Promise<Execution[]>;
  /**
   * Moves `previous` to `next` (status counters included) if the record still has the status
   * and redrive count it was read with; false when something else changed it first.
   */
  transition(previous: Execution, next: ExecutionTransition): Promise<boolean>;
  tasks(accountId: string, executionId: string): Promise<RunTask[]>;
  task(accountId: string, taskId: string): Promise<RunTask | undefined>;
  /**
   * Sets each listed task's status (and completion time) whatever it was; used when a run ends or is redriven. A task id the run does not have is an error.
   * `halted` (the run's terminal status) marks a node of a run that has stopped, so the runner's first write refuses to start it; null clears it (redrive).
   */
  settleTasks(accountId: string, executionId: string, changes: readonly TaskSettlement[]): Promise<void>;
  logs(accountId: string, executionId: string, level: LogLevel | undefined, page: PageRequest): Promise<Page<LogLine>>;
  appendLogs(accountId: string, lines: readonly LogLine[]): Promise<void>;
}

/** Runs a workflow's state machine: Step Functions in AWS, the local engine in local mode. */
export interface ExecutionEngine {
  /**
   * Starts the execution named `name` (idempotent on the name) on exactly `versionArn`, the
   * published version the record was made for; returns the execution ARN.
   */
  start(input: { workflowId: string; accountId: string; aliasArn: string; versionArn: string; stateMachineArn: string; version: number; name: string; input: unknown }): Promise<string>;
  /** Stops it; already-finished executions are not an error. */
  stop(executionArn: string, reason: { error: string; cause: string }): Promise<void>;
  /** Redrives a failed, timed-out or aborted execution from where it stopped. */
  redrive(executionArn: string): Promise<void>;
}
