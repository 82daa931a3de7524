import type { Execution, LogLevel, LogLine, RunTask } from '../../functions/core/executions/execution.ts';
import type { ExecutionEngine, ExecutionFilter, ExecutionRepository, ExecutionTransition, IdempotentStart, TaskSettlement } from '../../functions/core/executions/ports.ts';
import type { Page, PageRequest } from '../../functions/core/pagination.ts';

/** Executions in memory with the repository's contract (conditional transitions, idempotency claims). */
export class MemoryExecutions implements ExecutionRepository {
  executions = new Map<string, Execution>();
  runTasks = new Map<string, RunTask>();
  logLines: LogLine[] = [];
  claims = new Map<string, { executionId: string; fingerprint: string }>();
  transitions: ExecutionTransition[] = [];
  /** Task id → the stopped run's status it is marked halted with (what the runner's begin write refuses on). */
  halted = new Map<string, string>();

  async create(execution: Execution, tasks: readonly RunTask[], idempotency?: IdempotentStart) {
    if (idempotency) {
      const claim = this.claims.get(`${execution.accountId}#${idempotency.key}`);
      if (claim) return { created: false as const, ...claim };
      this.claims.set(`${execution.accountId}#${idempotency.key}`, { executionId: execution.id, fingerprint: idempotency.fingerprint });
    }
    this.executions.set(execution.id, execution);
    for (const t of tasks) this.runTasks.set(t.id, t);
    return { created: true as const };
  }

  async get(accountId: string, id: string) {
    const e = this.executions.get(id);
    return e?.accountId === accountId ? e : undefined;
  }

  async list(accountId: string, filter: ExecutionFilter, page: PageRequest): Promise<Page<Execution>> {
    const all = [...this.executions.values()]
      .filter((e) => e.accountId === accountId && (!filter.workflowId || e.workflowId === filter.workflowId) && (!filter.parentExecutionId || e.parent?.executionId === filter.parentExecutionId) && (!filter.status || e.status === filter.status))
      .toSorted((a, b) => b.id.localeCompare(a.id));
    return { items: all.slice(page.offset, page.offset + page.limit), total: all.length, nextCursor: undefined };
  }

  async latest(accountId: string, workflowId: string) {
    return (await this.list(accountId, { workflowId }, { limit: 1, offset: 0, cursor: undefined })).items[0];
  }

  async active(accountId: string, workflowId: string) {
    return [...this.executions.values()].filter((e) => e.accountId === accountId && e.workflowId === workflowId && (e.status === 'pending' || e.status === 'running'));
  }

  async activeChildren(accountId: string, parentExecutionId: string) {
    return [...this.executions.values()].filter((e) => e.accountId === accountId && e.parent?.executionId === parentExecutionId && (e.status === 'pending' || e.status === 'running'));
  }

  async transition(previous: Execution, next: ExecutionTransition) {
    const current = this.executions.get(previous.id);
    if (!current || current.status !== previous.status || current.redriveCount !== previous.redriveCount) return false;
    const defined = Object.fromEntries(Object.entries(next).filter(([, v]) => v !== undefined));
    this.executions.set(previous.id, { ...current, ...defined } as Execution);
    this.transitions.push(next);
    return true;
  }

  async tasks(accountId: string, executionId: string) {
    return [...this.runTasks.values()].filter((t) => t.accountId === accountId && t.executionId === executionId).toSorted((a, b) => a.nodeId.localeCompare(b.nodeId));
  }

  async task(accountId: string, taskId: string) {
    const t = this.runTasks.get(taskId);
    return t?.accountId === accountId ? t : undefined;
  }

  async settleTasks(accountId: string, _executionId: string, changes: readonly TaskSettlement[]) {
    for (const c of changes) {
      const t = this.runTasks.get(c.taskId);
      if (!t || t.accountId !== accountId) continue;
      if (typeof c.halted === 'string') this.halted.set(c.taskId, c.halted);
      else if (c.halted === null) this.halted.delete(c.taskId);
      this.runTasks.set(c.taskId, { ...t, status: c.status, completedAt: c.status === 'pending' || c.status === 'retrying' ? null : c.at, ...(c.error !== undefined ? { error: c.error } : {}) });
    }
  }

  async logs(accountId: string, executionId: string, level: LogLevel | undefined, page: PageRequest): Promise<Page<LogLine>> {
    const all = this.logLines.filter((l) => l.executionId === executionId && (!level || l.level === level) && this.executions.get(executionId)?.accountId === accountId);
    return { items: all.slice(page.offset, page.offset + page.limit), total: all.length, nextCursor: undefined };
  }

  async appendLogs(_accountId: string, lines: readonly LogLine[]) {
    this.logLines.push(...lines);
  }

  /** Test helper: put a task into a state as the runner would. */
  setTask(taskId: string, changes: Partial<RunTask>) {
    this.runTasks.set(taskId, { ...this.runTasks.get(taskId)!, ...changes });
  }
}

/** Records engine calls; `failStart` makes the next start throw. */
export class FakeEngine implements ExecutionEngine {
  started: Parameters<ExecutionEngine['start']>[0][] = [];
  stopped: string[] = [];
  redriven: string[] = [];
  failStart: Error | undefined;

  async start(input: Parameters<ExecutionEngine['start']>[0]) {
    if (this.failStart) throw this.failStart;
    this.started.push(input);
    return `${input.stateMachineArn.replace(':stateMachine:', ':execution:')}:${input.name}`;
  }

  async stop(executionArn: string) {
    this.stopped.push(executionArn);
  }

  async redrive(executionArn: string) {
    this.redriven.push(executionArn);
  }
}
