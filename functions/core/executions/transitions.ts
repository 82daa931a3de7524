import type { Clock } from '../clock.ts';
import type { ErrorLogger } from '../logger.ts';
import { newSequentialId } from '../ids.ts';
import { isTerminal, type Execution, type LogLine, type RunTask } from './execution.ts';
import type { ExecutionRepository, ExecutionTransition } from './ports.ts';

/** Told about every status change that was applied (workflow stats, live updates, webhooks). */
export interface ExecutionObserver {
  executionChanged(previous: Execution, next: Execution, tasks: readonly RunTask[]): Promise<void>;
}


/**
 * The one way an execution's status changes: a conditional write, then its log line, then every
 * observer hears about it exactly once per applied change (a lost race applies nothing and tells no one).
 */
export class ExecutionTransitions {
  constructor(
    private readonly repo: Pick<ExecutionRepository, 'transition' | 'appendLogs'>,
    private readonly clock: Clock,
    private readonly observers: readonly ExecutionObserver[] = [],
    private readonly log: ErrorLogger = console,
  ) {}

  async move(previous: Execution, change: ExecutionTransition, tasks: readonly RunTask[] = []): Promise<Execution | undefined> {
    const next = { ...previous, ...change } as Execution;
    // Stamped before the write: whatever the run logs once it sees the new status sorts after this line,
    // even from another thread or Lambda (the local engine runs beside the API, not in it).
    const line = this.logLine(next);
    if (!(await this.repo.transition(previous, change))) return undefined;
    await this.repo.appendLogs(next.accountId, [line]);
    for (const observer of this.observers) {
      try {
        await observer.executionChanged(previous, next, tasks);
      } catch (error) {
        // The change is stored; a failing observer must not turn it into an error for the caller.
        this.log.error('execution observer failed', { execution_id: next.id, status: next.status, error: (error as Error).message });
      }
    }
    return next;
  }

  private logLine(execution: Execution): LogLine {
    const now = this.clock.now();
    const message = {
      pending: 'Execution pending',
      running: execution.redriveCount ? `Execution redriven (attempt ${execution.redriveCount + 1})` : 'Execution started',
      completed: 'Execution completed',
      failed: 'Execution failed',
      cancelled: 'Execution cancelled',
      timed_out: 'Execution timed out',
    }[execution.status];
    return {
      id: newSequentialId('event', now.getTime()),
      executionId: execution.id,
      timestamp: now.toISOString(),
      level: execution.status === 'failed' || execution.status === 'timed_out' ? 'error' : execution.status === 'cancelled' ? 'warn' : 'info',
      message,
      nodeId: execution.failedNode,
      nodeType: null,
      data: isTerminal(execution.status) ? { status: execution.status, duration_ms: execution.durationMs, ...(execution.error ? { error: execution.error } : {}) } : null,
    };
  }
}
