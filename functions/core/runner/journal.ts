import type { TaskRunnerResponse } from '../../../statemachines/task-runner-contract.ts';
import type { LogLine, RecordCounts } from '../executions/execution.ts';

/** One node's work in one run: the task record, or one map iteration of it (`mapKey`). */
export interface NodeRef {
  readonly accountId: string;
  readonly executionId: string;
  readonly nodeId: string;
  readonly taskId: string;
  readonly mapKey?: string | undefined;
}

export type BeginOutcome =
  /** Run it: this is attempt `attempt` (1-based) of at most `maxRetries + 1`. The attempt record is written. */
  | { readonly state: 'run'; readonly attempt: number; readonly maxRetries: number }
  /** It already completed in this execution (a redrive, or a duplicate invocation): answer as before. */
  | { readonly state: 'done'; readonly response: TaskRunnerResponse }
  /** The execution is no longer running. */
  | { readonly state: 'stopped'; readonly status: string };

export interface StepState {
  readonly status: string;
  readonly output?: unknown;
  readonly error?: string | null;
}

/** What the task runner records about its work; the DynamoDB adapter keeps it on the run's items. */
export interface RunJournal {
  begin(ref: NodeRef, at: string): Promise<BeginOutcome>;
  complete(ref: NodeRef, outcome: { result: unknown; resultTruncated: boolean; response: TaskRunnerResponse; records: RecordCounts | null; at: string }): Promise<void>;
  fail(ref: NodeRef, failure: { error: string; status: 'retrying' | 'failed' | 'cancelled'; at: string }): Promise<void>;
  /** An upstream node's state for `{{steps.<id>…}}`: the same map iteration first (by key prefix), then the node's task. */
  step(accountId: string, executionId: string, nodeId: string, mapKey?: string): Promise<StepState | undefined>;
  appendLogs(accountId: string, lines: readonly LogLine[]): Promise<void>;
}
