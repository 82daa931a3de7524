import type { Clock } from '../clock.ts';
import { newSequentialId } from '../ids.ts';
import { isTerminal, parseExecutionName, type LogLine, type RunTask } from './execution.ts';
import type { ExecutionRepository } from './ports.ts';

/** The error a run ends with when the local server stopped during an attempt that had no retry left. */
export const INTERRUPTED_ERROR = 'Stepwise.Interrupted';

export type RecoveryPlan =
  /** Replay it: completed nodes answer from the store, interrupted attempts run again. */
  | { action: 'resume' }
  /** End it as failed (redrivable), with a Step Functions error and a failure-record cause. */
  | { action: 'fail'; error: string; cause: string }
  /** The store has it ended, or does not know it: nothing to run. */
  | { action: 'finished' };

const interrupted = (task: RunTask) => `Task attempt ${task.retryCount + 1} was interrupted: the local server stopped while it ran`;

/**
 * What local mode does with a run that was in progress when the server died (docs/deploy.md, "Local
 * mode"). A task still `running` in the store is an attempt that never recorded its end: it counts as
 * a failed attempt. With a retry left the run resumes and the node runs again (the task shows
 * `retrying` until then); without one the run fails naming that node, and `POST /executions/{id}/retry`
 * runs it again. Either way no task is left `running` for a worker that no longer exists.
 */
export class RunRecovery {
  constructor(
    private readonly repo: Pick<ExecutionRepository, 'get' | 'tasks' | 'settleTasks' | 'appendLogs'>,
    private readonly clock: Clock,
  ) {}

  async plan(executionName: string): Promise<RecoveryPlan> {
    const ref = parseExecutionName(executionName);
    const execution = ref ? await this.repo.get(ref.accountId, ref.executionId) : undefined;
    if (!execution || isTerminal(execution.status)) return { action: 'finished' };
    const tasks = await this.repo.tasks(execution.accountId, execution.id);
    const cut = tasks.filter((t) => t.status === 'running');
    const exhausted = cut.find((t) => t.retryCount >= t.maxRetries);
    const now = this.clock.now();
    const at = now.toISOString();
    if (exhausted) {
      const error = `${interrupted(exhausted)}, and the node has no retries left; retry the execution to run it again`;
      await this.repo.settleTasks(execution.accountId, execution.id, [{ taskId: exhausted.id, status: 'failed', at, error }]);
      await this.repo.appendLogs(execution.accountId, [this.line(execution.id, exhausted, 'error', error, now)]);
      return { action: 'fail', error: INTERRUPTED_ERROR, cause: JSON.stringify({ failed_node: exhausted.nodeId, node_type: exhausted.type, error: INTERRUPTED_ERROR, cause: error }) };
    }
    if (cut.length) {
      await this.repo.settleTasks(
        execution.accountId,
        execution.id,
        cut.map((t) => ({ taskId: t.id, status: 'retrying' as const, at, error: interrupted(t) })),
      );
      await this.repo.appendLogs(
        execution.accountId,
        cut.map((t) => this.line(execution.id, t, 'warn', interrupted(t), now)),
      );
    }
    return { action: 'resume' };
  }

  private line(executionId: string, task: RunTask, level: LogLine['level'], message: string, now: Date): LogLine {
    return { id: newSequentialId('event', now.getTime()), executionId, timestamp: now.toISOString(), level, message, nodeId: task.nodeId, nodeType: task.type, data: { attempt: task.retryCount + 1, reason: 'interrupted' } };
  }
}
