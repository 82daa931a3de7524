/**
 * Local mode's `states:startExecution` and `states:startExecution.sync:2` (subworkflow start states,
 * statemachines/README.md, "Subworkflows"): the child, already prepared by the runner, is started through
 * the execution service like every run, and the answer (or the failure) has the shape Step Functions gives,
 * so the compiled states after it read the same fields in both modes.
 */
import type { Execution } from '../../core/executions/execution.ts';
import { isObject, TaskError } from './asl-compat.ts';
import type { Outcome } from './local-engine.ts';

export interface ChildExecutionParts {
  /** ExecutionService.launchChild: starts the prepared child (idempotent) and answers its record. */
  launch(name: string): Promise<Execution>;
  /** The engine's outcome of the run, once reported; undefined when the engine no longer holds it. */
  whenEnded(executionArn: string, signal: AbortSignal): Promise<Outcome | undefined>;
  /** The child's record now (the store). */
  read(execution: Execution): Promise<Execution | undefined>;
  /** Stops the child when the parent's start state is abandoned (the parent stopped or the state timed out). */
  stop(executionArn: string, cause: string): Promise<unknown>;
}

const STATUS: Record<string, Outcome['status']> = { completed: 'SUCCEEDED', failed: 'FAILED', timed_out: 'TIMED_OUT', cancelled: 'ABORTED' };

const machineName = (arn: string, marker: string) => arn.slice(arn.indexOf(marker) + marker.length).split(':')[0];

export function localStartExecution(parts: ChildExecutionParts) {
  return async (parameters: unknown, sync: boolean, signal: AbortSignal): Promise<unknown> => {
    const p = isObject(parameters) ? parameters : {};
    if (typeof p.Name !== 'string' || typeof p.StateMachineArn !== 'string') throw new TaskError('States.Runtime', 'startExecution needs StateMachineArn and Name', false);
    const child = await parts.launch(p.Name);
    // The alias names the machine the child's record was made for; anything else is not this child. Only the
    // machine's name is compared: local machine ARNs keep region `local`, the compiler's targets the configured one.
    if (machineName(p.StateMachineArn, ':stateMachine:') !== machineName(child.executionArn, ':execution:')) {
      throw new TaskError('StepFunctions.InvalidArnException', `execution ${p.Name} does not belong to ${p.StateMachineArn}`);
    }
    const started = { ExecutionArn: child.executionArn, StartDate: child.startedAt ?? child.createdAt };
    if (!sync) return started;
    let outcome: Outcome | undefined;
    try {
      outcome = await parts.whenEnded(child.executionArn, signal);
    } catch (error) {
      // As with .sync on AWS: the parent giving up on the child stops it.
      await parts.stop(child.executionArn, `Parent execution ${child.parent?.executionId ?? ''} stopped waiting for it (cancelled or timed out)`).catch(() => undefined);
      throw error;
    }
    const now = await parts.read(child);
    const status = outcome?.status ?? (now && STATUS[now.status]) ?? 'SUCCEEDED';
    const description = { ...started, Name: p.Name, StateMachineArn: p.StateMachineArn, Status: status, StopDate: outcome ? new Date(outcome.stopDate).toISOString() : (now?.completedAt ?? null) };
    if (status === 'SUCCEEDED') return { ...description, Output: outcome?.output ? (JSON.parse(outcome.output) as unknown) : null };
    const error = outcome?.error ?? (status === 'FAILED' ? 'Stepwise.SubworkflowFailed' : null);
    const cause = outcome?.cause ?? now?.error ?? null;
    throw new TaskError('States.TaskFailed', JSON.stringify({ ...description, ...(error ? { Error: error } : {}), ...(cause ? { Cause: cause } : {}) }));
  };
}
