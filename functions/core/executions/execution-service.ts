import { createHash } from 'node:crypto';
import type { Clock } from '../clock.ts';
import { AppError, conflict, notFound } from '../errors.ts';
import { isId, newId } from '../ids.ts';
import type { Page, PageRequest } from '../pagination.ts';
import type { Principal } from '../principal.ts';
import type { WorkflowRepository } from '../workflows/ports.ts';
import type { Workflow } from '../workflows/workflow.ts';
import { sinksOf } from '../workflows/manifest.ts';
import { executionName, isTerminal, MAX_SUBWORKFLOW_DEPTH, parseExecutionName, runTaskId, type Execution, type ExecutionParent, type ExecutionTrigger, type LogLevel, type LogLine, type RunTask } from './execution.ts';
import { resultOf } from './execution-status.ts';
import type { ExecutionEngine, ExecutionFilter, ExecutionRepository } from './ports.ts';
import type { ExecutionTransitions } from './transitions.ts';

/** Step Functions' own cap on an execution's input (statemachines/README.md#limits). */
export const MAX_INPUT_BYTES = 256 * 1024;

export interface StartOptions {
  input?: Record<string, unknown> | undefined;
  idempotencyKey?: string | undefined;
  trigger?: ExecutionTrigger | undefined;
}

/** A `subworkflow` node's child run, as its prepare call asks for it (functions/core/runner/nodes/subworkflow.ts). */
export interface ChildStart {
  /** The parent's account: the child's workflow is looked up there and nowhere else. */
  readonly accountId: string;
  readonly parentExecutionId: string;
  readonly parentNodeId: string;
  /** Inside a map: the iteration's key, so each iteration starts its own child. */
  readonly mapKey?: string | undefined;
  /** The node's attempt: a repeated prepare of one attempt gets the same child back. */
  readonly attempt: number;
  readonly workflowId: string;
  readonly input: unknown;
}

/** How the subworkflow executor reaches child runs (the ExecutionService; fakes in tests). */
export interface ChildRuns {
  prepareChild(start: ChildStart): Promise<{ execution: Execution; name: string }>;
  /** The child's result as its sinks' outputs, whether or not its own status event has landed yet. */
  childResult(accountId: string, executionId: string): Promise<unknown>;
  /** The start state failed before the child ran: a child still pending is failed with `reason`, never left pending. */
  abandonChild(accountId: string, executionId: string, reason: string): Promise<void>;
}

export interface ExecutionDetails {
  execution: Execution;
  tasks: RunTask[];
}

/**
 * Starting, reading and controlling runs. Status comes back from the engine as events
 * (execution-status.ts); this service only asks the engine to start, stop and redrive.
 */
export class ExecutionService implements ChildRuns {
  constructor(
    private readonly repo: ExecutionRepository,
    private readonly workflows: Pick<WorkflowRepository, 'get'>,
    private readonly engine: ExecutionEngine,
    private readonly transitions: ExecutionTransitions,
    private readonly clock: Clock,
  ) {}

  async start(principal: Principal, workflowId: string, options: StartOptions = {}): Promise<Execution> {
    const workflow = await this.workflow(principal, workflowId);
    if (workflow.status !== 'active') throw conflict(`Workflow ${workflow.id} is ${workflow.status}; set status to active to run it`, 'status');
    const input = options.input ?? {};
    const inputJson = JSON.stringify(input);
    if (Buffer.byteLength(inputJson) > MAX_INPUT_BYTES) {
      throw new AppError('payload_too_large', `input must be at most 256 KB (Step Functions' limit); it is ${Buffer.byteLength(inputJson)} bytes`, { field: 'input' });
    }
    const now = this.clock.now();
    const execution = this.newExecution(principal, workflow, input, now, options.trigger ?? 'manual');
    const idempotency = options.idempotencyKey
      ? { key: `${workflow.id}#${options.idempotencyKey}`, fingerprint: createHash('sha256').update(`${workflow.id}\u0000${inputJson}`).digest('base64url') }
      : undefined;
    const created = await this.repo.create(execution, this.newTasks(execution, workflow), idempotency);
    if (!created.created) {
      if (created.fingerprint !== idempotency?.fingerprint) {
        throw conflict('This Idempotency-Key was already used with a different request body', 'Idempotency-Key');
      }
      const existing = await this.repo.get(principal.accountId, created.executionId);
      if (!existing) throw notFound('Execution', created.executionId);
      // A replay after a start that never reached the engine finishes the job; the engine dedupes on the name.
      return existing.status === 'pending' ? this.launch(existing, workflow) : existing;
    }
    return this.launch(execution, workflow);
  }

  /**
   * Writes a child run's record (pending, with its parent and depth); the parent's state machine then
   * starts it (`states:startExecution[.sync:2]`, statemachines/README.md, "Subworkflows"), or locally
   * the engine through `launchChild`. Refusals are AppErrors the executor turns into the node's failure.
   */
  async prepareChild(start: ChildStart): Promise<{ execution: Execution; name: string }> {
    const parent = await this.repo.get(start.accountId, start.parentExecutionId);
    if (!parent) throw notFound('Execution', start.parentExecutionId);
    const depth = (parent.parent?.depth ?? 0) + 1;
    if (depth > MAX_SUBWORKFLOW_DEPTH) {
      throw conflict(`subworkflows nest at most ${MAX_SUBWORKFLOW_DEPTH} deep: execution ${parent.id} is already at depth ${depth - 1}, so node '${start.parentNodeId}' cannot start another level (a workflow that reaches itself?)`, 'workflow_id');
    }
    // Only the parent's account is searched, and a workflow of another account reads exactly like a missing one.
    const workflow = isId('workflow', start.workflowId) ? await this.workflows.get(start.accountId, start.workflowId) : undefined;
    if (!workflow) throw new AppError('validation_error', `workflow_id ${start.workflowId}: no workflow with this id in this account`, { field: 'workflow_id' });
    if (workflow.status !== 'active') throw conflict(`workflow_id ${workflow.id}: the workflow is ${workflow.status}; set status to active to run it`, 'workflow_id');
    const input = start.input ?? {};
    const bytes = Buffer.byteLength(JSON.stringify(input));
    if (bytes > MAX_INPUT_BYTES) throw new AppError('payload_too_large', `input must be at most 256 KB (Step Functions' limit); it is ${bytes} bytes`, { field: 'input' });
    // A run replayed after a restart of the local server prepares the node again: the child it had
    // started is still going, and is the one to wait for (a second one would run the work twice).
    const going = (await this.repo.activeChildren(start.accountId, parent.id)).find((c) => c.parent?.nodeId === start.parentNodeId && c.parent.mapKey === start.mapKey);
    if (going) return { execution: going, name: executionName(going.id, going.accountId) };
    const link: ExecutionParent = { executionId: parent.id, nodeId: start.parentNodeId, ...(start.mapKey !== undefined ? { mapKey: start.mapKey } : {}), depth };
    const execution = { ...this.newExecution({ accountId: start.accountId, userId: parent.createdBy ?? undefined }, workflow, input, this.clock.now(), 'subworkflow'), parent: link };
    const key = `child#${parent.id}#${start.parentNodeId}#${start.mapKey ?? ''}#${start.attempt}`;
    const created = await this.repo.create(execution, this.newTasks(execution, workflow), { key, fingerprint: key });
    if (created.created) return { execution, name: executionName(execution.id, execution.accountId) };
    const existing = await this.repo.get(start.accountId, created.executionId);
    if (!existing) throw notFound('Execution', created.executionId);
    return { execution: existing, name: executionName(existing.id, existing.accountId) };
  }

  /**
   * Local mode's `states:startExecution` (functions/adapters/local/local-engine.ts): starts a prepared child
   * the way every run starts. Idempotent: a child already started or finished is only reported.
   */
  async launchChild(name: string): Promise<Execution> {
    const ref = parseExecutionName(name);
    const child = ref ? await this.repo.get(ref.accountId, ref.executionId) : undefined;
    if (!child?.parent) throw notFound('Execution', name);
    if (child.status !== 'pending') return child;
    const workflow = await this.workflows.get(child.accountId, child.workflowId);
    if (!workflow) throw notFound('Workflow', child.workflowId);
    return this.launch(child, workflow);
  }

  async childResult(accountId: string, executionId: string): Promise<unknown> {
    const child = await this.repo.get(accountId, executionId);
    if (!child) throw notFound('Execution', executionId);
    if (child.status === 'completed') return child.result;
    // On AWS the child's SUCCEEDED event may still be on its way; its tasks are already written.
    const tasks = await this.repo.tasks(accountId, executionId);
    return resultOf(child.sinks, new Map(tasks.map((t) => [t.nodeId, t])));
  }

  async abandonChild(accountId: string, executionId: string, reason: string): Promise<void> {
    const child = await this.repo.get(accountId, executionId);
    if (child?.status !== 'pending') return;
    const at = this.clock.now().toISOString();
    await this.transitions.move(child, { status: 'failed', redriveCount: child.redriveCount, completedAt: at, durationMs: 0, error: `Could not start: ${reason}` });
  }

  async get(principal: Principal, executionId: string): Promise<ExecutionDetails> {
    const execution = await this.execution(principal, executionId);
    return { execution, tasks: await this.repo.tasks(principal.accountId, execution.id) };
  }

  list(principal: Principal, filter: ExecutionFilter, page: PageRequest): Promise<Page<Execution>> {
    return this.repo.list(principal.accountId, filter, page);
  }

  /** CloudFlow's pipeline executions: the workflow must exist in the caller's account (else 404). */
  async listOfWorkflow(principal: Principal, workflowId: string, filter: Omit<ExecutionFilter, 'workflowId'>, page: PageRequest): Promise<Page<Execution>> {
    const workflow = await this.workflow(principal, workflowId);
    return this.repo.list(principal.accountId, { ...filter, workflowId: workflow.id }, page);
  }

  async tasks(principal: Principal, executionId: string): Promise<RunTask[]> {
    const execution = await this.execution(principal, executionId);
    return this.repo.tasks(principal.accountId, execution.id);
  }

  /** A workflow task by id (GET /tasks/{id} falls back to this for `task_` ids of runs). */
  async task(principal: Principal, taskId: string): Promise<RunTask | undefined> {
    return isId('task', taskId) ? this.repo.task(principal.accountId, taskId) : undefined;
  }

  /** The latest run of a workflow with its tasks (workflow views, `GET /workflows/{id}/tasks`). */
  async latest(principal: Principal, workflowId: string): Promise<ExecutionDetails | undefined> {
    const execution = await this.repo.latest(principal.accountId, workflowId);
    return execution ? { execution, tasks: await this.repo.tasks(principal.accountId, execution.id) } : undefined;
  }

  async logs(principal: Principal, executionId: string, level: LogLevel | undefined, page: PageRequest): Promise<Page<LogLine>> {
    const execution = await this.execution(principal, executionId);
    return this.repo.logs(principal.accountId, execution.id, level, page);
  }

  /** Stops a run: the engine stops scheduling states, running tasks become cancelled. */
  async cancel(principal: Principal, executionId: string): Promise<Execution> {
    const execution = await this.execution(principal, executionId);
    if (isTerminal(execution.status)) throw conflict(`Execution ${execution.id} already ${execution.status}; only pending or running executions can be cancelled`, 'status');
    return this.stop(execution, `Cancelled by ${principal.userId ?? principal.credentialId}`);
  }

  /** FlowCtl's `PUT /workflows/{id}/cancel`: every pending or running execution of the workflow. */
  async cancelWorkflow(principal: Principal, workflowId: string): Promise<Execution[]> {
    const workflow = await this.workflow(principal, workflowId);
    const running = await this.repo.active(principal.accountId, workflow.id);
    return Promise.all(running.map((e) => this.stop(e, `Workflow cancelled by ${principal.userId ?? principal.credentialId}`)));
  }

  /** Redrive: failed, not-yet-run and cancelled nodes run again; completed nodes keep their outputs. */
  async retry(principal: Principal, executionId: string): Promise<Execution> {
    const execution = await this.execution(principal, executionId);
    if (!['failed', 'timed_out', 'cancelled'].includes(execution.status)) {
      throw conflict(`Execution ${execution.id} is ${execution.status}; only failed, timed-out or cancelled executions can be retried`, 'status');
    }
    const at = this.clock.now().toISOString();
    const redriveCount = execution.redriveCount + 1;
    const moved = await this.transitions.move(execution, { status: 'running', redriveCount, completedAt: null, durationMs: null, error: null, failedNode: null, result: null });
    if (!moved) throw conflict(`Execution ${execution.id} changed while retrying; try again`, 'status');
    const tasks = await this.repo.tasks(execution.accountId, execution.id);
    await this.repo.settleTasks(
      execution.accountId,
      execution.id,
      // Pending ones too: they carry the mark of the stopped run, which would keep the runner from starting them.
      tasks.filter((t) => ['failed', 'cancelled', 'running', 'retrying', 'pending'].includes(t.status)).map((t) => ({ taskId: t.id, status: 'pending' as const, at, error: null, halted: null })),
    );
    await this.engine.redrive(execution.executionArn);
    return moved;
  }

  private async stop(execution: Execution, cause: string): Promise<Execution> {
    await this.engine.stop(execution.executionArn, { error: 'Stepwise.Cancelled', cause });
    // Its subworkflow runs end with it (their own children in turn); Step Functions stops a .sync child too.
    const children = await this.repo.activeChildren(execution.accountId, execution.id);
    await Promise.all(children.map((child) => this.stop(child, `Parent execution ${execution.id} was cancelled`)));
    const now = this.clock.now();
    const at = now.toISOString();
    const durationMs = execution.startedAt ? now.getTime() - Date.parse(execution.startedAt) : 0;
    const tasks = await this.repo.tasks(execution.accountId, execution.id);
    const moved = await this.transitions.move(execution, { status: 'cancelled', redriveCount: execution.redriveCount, completedAt: at, durationMs, error: cause }, tasks);
    if (!moved) {
      // It finished (or was cancelled) meanwhile: report what it is now.
      return (await this.repo.get(execution.accountId, execution.id)) ?? execution;
    }
    await this.repo.settleTasks(
      execution.accountId,
      execution.id,
      tasks.filter((t) => ['pending', 'running', 'retrying'].includes(t.status)).map((t) => ({ taskId: t.id, status: 'cancelled' as const, at, halted: 'cancelled' as const })),
    );
    return moved;
  }

  private async launch(execution: Execution, workflow: Workflow): Promise<Execution> {
    try {
      await this.engine.start({
        workflowId: workflow.id,
        accountId: workflow.accountId,
        aliasArn: workflow.machine.aliasArn,
        // The version this record's `version` names: the alias may still point at the previous one for a few seconds after a publish.
        versionArn: workflow.machine.versionArn,
        stateMachineArn: workflow.machine.stateMachineArn,
        version: execution.version,
        name: executionName(execution.id, execution.accountId),
        input: execution.input,
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await this.transitions.move(execution, { status: 'failed', redriveCount: 0, completedAt: this.clock.now().toISOString(), durationMs: 0, error: `Could not start: ${message}` });
      throw error;
    }
    const startedAt = this.clock.now().toISOString();
    const moved = await this.transitions.move(execution, { status: 'running', redriveCount: 0, startedAt });
    // Otherwise the engine's RUNNING event landed first (or the run already moved on): report what is stored.
    return moved ?? (await this.repo.get(execution.accountId, execution.id)) ?? { ...execution, status: 'running', startedAt };
  }

  private newExecution(principal: Pick<Principal, 'accountId' | 'userId'>, workflow: Workflow, input: unknown, now: Date, trigger: ExecutionTrigger): Execution {
    const id = newId('execution', now.getTime());
    const machine = workflow.machine.stateMachineArn;
    return {
      id,
      accountId: principal.accountId,
      workflowId: workflow.id,
      workflowName: workflow.name,
      version: workflow.version,
      status: 'pending',
      input,
      result: null,
      error: null,
      failedNode: null,
      // Step Functions names executions `<machine ARN with :execution:>:<name>`; known up front, so events find the record.
      executionArn: `${machine.replace(':stateMachine:', ':execution:')}:${executionName(id, principal.accountId)}`,
      sinks: sinksOf(workflow.nodes),
      taskCount: workflow.nodes.length,
      redriveCount: 0,
      records: null,
      trigger,
      createdBy: principal.userId ?? null,
      createdAt: now.toISOString(),
      startedAt: null,
      completedAt: null,
      durationMs: null,
    };
  }

  private newTasks(execution: Execution, workflow: Workflow): RunTask[] {
    return workflow.nodes.map((node) => ({
      id: runTaskId(execution.id, node.id),
      accountId: execution.accountId,
      executionId: execution.id,
      workflowId: workflow.id,
      nodeId: node.id,
      name: node.name,
      type: node.type,
      status: 'pending',
      payload: node.payload,
      result: null,
      resultTruncated: false,
      error: null,
      retryCount: 0,
      maxRetries: node.maxRetries,
      priority: node.priority,
      dependencies: node.dependencies,
      parent: node.parent,
      runnerTask: node.runnerTask,
      records: null,
      createdAt: execution.createdAt,
      updatedAt: execution.createdAt,
      startedAt: null,
      completedAt: null,
    }));
  }



  private async workflow(principal: Principal, workflowId: string): Promise<Workflow> {
    const workflow = isId('workflow', workflowId) ? await this.workflows.get(principal.accountId, workflowId) : undefined;
    if (!workflow) throw notFound('Workflow', workflowId);
    return workflow;
  }

  private async execution(principal: Principal, executionId: string): Promise<Execution> {
    const execution = isId('execution', executionId) ? await this.repo.get(principal.accountId, executionId) : undefined;
    if (!execution) throw notFound('Execution', executionId);
    return execution;
  }
}
