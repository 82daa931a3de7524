import { isAppError } from '../../errors.ts';
import { parseExecutionName } from '../../executions/execution.ts';
import { lambdaMessage } from '../../executions/execution-status.ts';
import { parseFailureCause } from '../../../../statemachines/task-runner-contract.ts';
import { nonRetryable, RunnerFailure } from '../errors.ts';
import { isPlainObject } from '../resolve-templates.ts';
import { describe, executed, type NodeExecutor, type Run } from './run.ts';

/** The child's error when its start state failed without one Step Functions named (a start refused, a timeout). */
export const SUBWORKFLOW_FAILED = 'Stepwise.SubworkflowFailed';

/**
 * `subworkflow` {workflow_id, input, wait}: three states (statemachines/README.md, "Subworkflows").
 * `prepare_subworkflow` resolves the child's input and writes the child's record (parent, node, depth) through
 * the execution service; the state machine starts it on the child's `live` alias (`startExecution.sync:2`
 * when waiting); `record_subworkflow` makes the child's result (or `{execution_id}`) the node's output, or
 * fails the node with the child's own error name and cause.
 */
export const subworkflow: NodeExecutor = {
  async prepare_subworkflow(run) {
    const children = childRuns(run);
    const workflowId = run.params.workflow_id;
    if (typeof workflowId !== 'string') throw nonRetryable('subworkflow needs a workflow_id');
    const input = run.params.input === undefined || run.params.input === null ? {} : await run.templates.resolve(run.params.input, 'input');
    // Validation refuses {{secrets.…}} here; a value that still got in would enter the child's history and record.
    if (run.templates.secretValues.size > 0) throw nonRetryable('subworkflow input cannot take a secret: the child run keeps its input (and Step Functions its history); read the secret inside the child workflow');
    if (!isPlainObject(input)) throw nonRetryable(`subworkflow input must resolve to an object, got ${describe(input)}`);
    try {
      const { execution, name } = await children.prepareChild({
        accountId: run.ctx.accountId,
        parentExecutionId: parseExecutionName(run.request.execution_id)?.executionId ?? run.request.execution_id,
        parentNodeId: run.request.node_id,
        mapKey: run.request.map?.key,
        attempt: run.ctx.attempt ?? 1,
        workflowId,
        input,
      });
      run.log('info', 'Subworkflow prepared', { child_execution_id: execution.id, workflow_id: workflowId, depth: execution.parent?.depth ?? null, wait: run.params.wait !== false });
      return { action: 'prepare_subworkflow', name, input };
    } catch (error) {
      // A missing workflow, the depth limit, a paused child: the same next time, so never retried.
      if (isAppError(error)) throw nonRetryable(error.message, error.field ? { field: error.field } : undefined);
      throw error;
    }
  },

  async record_subworkflow(run) {
    const children = childRuns(run);
    const child = run.request.child;
    const ref = child ? parseExecutionName(child.name) : undefined;
    if (!child || !ref || ref.accountId !== run.ctx.accountId) throw nonRetryable('record_subworkflow needs the child execution of this account');
    if (child.error) {
      const failure = childFailure(child.error, ref.executionId, run);
      // Refused before it ran (no description in the cause): its record must not stay pending.
      if (!describes(child.error)) await children.abandonChild(ref.accountId, ref.executionId, failure.message);
      throw failure;
    }
    if (run.params.wait === false) {
      run.log('info', 'Subworkflow started', { child_execution_id: ref.executionId });
      return executed({ execution_id: ref.executionId }, { child_execution_id: ref.executionId });
    }
    const result = await children.childResult(ref.accountId, ref.executionId);
    run.log('info', 'Subworkflow completed', { child_execution_id: ref.executionId });
    return executed(result, { child_execution_id: ref.executionId });
  },
};

const describes = (error: { Cause?: string }) => {
  try {
    const parsed: unknown = JSON.parse(error.Cause ?? '');
    return isPlainObject(parsed) && typeof parsed.Status === 'string';
  } catch {
    return false;
  }
};

function childRuns(run: Run) {
  const children = run.deps.children;
  if (!children) throw nonRetryable('subworkflow nodes cannot run here: this runner has no execution service');
  return children;
}

/**
 * `startExecution.sync:2` fails with States.TaskFailed (or States.Timeout) and, as Cause, the child's
 * DescribeExecution as JSON: its own Error and Cause, the Cause being the failed child node
 * (NodeFailure). The node fails with the child's error name and that node's message; never retried, as a
 * retry would start the same child name again.
 */
function childFailure(error: { Error?: string; Cause?: string }, childId: string, run: Run): RunnerFailure {
  let described: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(error.Cause ?? '');
    if (isPlainObject(parsed)) described = parsed;
  } catch {
    // Not a description: a States.* error with a text cause (the start itself was refused).
  }
  const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  const status = text(described.Status);
  const childError = text(described.Error);
  const childCause = text(described.Cause);
  const failure = parseFailureCause(childCause);
  const name = childError ?? (error.Error === 'States.Timeout' ? 'States.Timeout' : status === 'ABORTED' ? 'Stepwise.Cancelled' : SUBWORKFLOW_FAILED);
  const why = failure
    ? `node '${failure.failed_node}' (${failure.node_type}) failed: ${lambdaMessage(failure.cause) || failure.error}`
    : childCause
      ? lambdaMessage(childCause)
      : error.Error === 'States.Timeout'
        ? 'the node timed out waiting for it'
        : status
          ? `it ended ${status}`
          : (text(error.Cause) ?? text(error.Error) ?? 'it failed');
  run.log('warn', 'Subworkflow failed', { child_execution_id: childId, error: name, child_status: status ?? null });
  return new RunnerFailure(name, `child execution ${childId} ${status === 'ABORTED' ? 'was stopped' : 'failed'}: ${why}`, { retryable: false, details: { child_execution_id: childId } });
}
