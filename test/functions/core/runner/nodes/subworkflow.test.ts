import { describe, expect, it } from 'vitest';
import { runnerFailure as failure } from '../../../../support/fakes.ts';
import { AppError, conflict } from '../../../../../functions/core/errors.ts';
import type { ChildRuns, ChildStart } from '../../../../../functions/core/executions/execution-service.ts';
import { executionName, type Execution } from '../../../../../functions/core/executions/execution.ts';
import { runAction, type ExecutorContext, type ExecutorDeps } from '../../../../../functions/core/runner/executors.ts';
import { SUBWORKFLOW_FAILED } from '../../../../../functions/core/runner/nodes/subworkflow.ts';
import { RUNNER_ERRORS, type TaskRunnerAction, type TaskRunnerRequest } from '../../../../../statemachines/task-runner-contract.ts';

const ACCOUNT = 'acct_01ARZ3NDEKTSV4RRFFQ69G5FAV';
const PARENT = 'exec_01ARZ3NDEKTSV4RRFFQ69G5FAA';
const CHILD = 'exec_01ARZ3NDEKTSV4RRFFQ69G5FCC';
const SECRET = 'sk_live_never_in_a_child_input';

function request(action: TaskRunnerAction, params: Record<string, unknown>, extra: Partial<TaskRunnerRequest> = {}): TaskRunnerRequest {
  return {
    node_id: 'call',
    node_type: 'subworkflow',
    action,
    params,
    account_id: ACCOUNT,
    workflow_id: 'wf_parent',
    execution_id: `arn:aws:states:us-east-1:123456789012:execution:stepwise-dev-wf_parent:${executionName(PARENT, ACCOUNT)}`,
    input: { order: { id: 7 } },
    retry_count: 0,
    ...extra,
  };
}

const context = (): ExecutorContext => ({
  accountId: ACCOUNT,
  input: { order: { id: 7 } },
  attempt: 2,
  step: async () => undefined,
  secret: async (key) => (key === 'TOKEN' ? SECRET : undefined),
  signal: new AbortController().signal,
  log: () => undefined,
  now: () => new Date('2030-01-01T00:00:00Z'),
});

/** Records every prepare and answers as the execution service would. */
class FakeChildren implements ChildRuns {
  readonly starts: ChildStart[] = [];
  readonly resultReads: string[][] = [];
  readonly abandoned: string[][] = [];
  constructor(
    private readonly refuse?: AppError,
    private readonly result: unknown = { total: 3 },
  ) {}
  async prepareChild(start: ChildStart) {
    this.starts.push(start);
    if (this.refuse) throw this.refuse;
    return { execution: { id: CHILD, parent: { executionId: start.parentExecutionId, nodeId: start.parentNodeId, depth: 1 } } as Execution, name: executionName(CHILD, ACCOUNT) };
  }
  async childResult(accountId: string, executionId: string) {
    this.resultReads.push([accountId, executionId]);
    return this.result;
  }
  async abandonChild(accountId: string, executionId: string, reason: string) {
    this.abandoned.push([accountId, executionId, reason]);
  }
}

const deps = (children?: ChildRuns): ExecutorDeps => ({
  http: { request: async () => Promise.reject(new Error('no http')) },
  lambda: { invoke: async () => ({}) },
  expressions: { evaluate: async () => undefined },
  children,
});

describe('subworkflow: prepare_subworkflow', () => {
  it('resolves the input, prepares the child in the parent’s account with node, map key and attempt, and answers its name and input', async () => {
    const children = new FakeChildren();
    const { result } = await runAction(request('prepare_subworkflow', { workflow_id: 'wf_child', input: { id: '{{input.order.id}}', fixed: 'x' }, wait: true }, { map: { node_id: 'each', item: 1, index: 0, key: '0' } }), context(), deps(children));
    expect(result).toEqual({ action: 'prepare_subworkflow', name: executionName(CHILD, ACCOUNT), input: { id: 7, fixed: 'x' } });
    expect(children.starts).toEqual([{ accountId: ACCOUNT, parentExecutionId: PARENT, parentNodeId: 'call', mapKey: '0', attempt: 2, workflowId: 'wf_child', input: { id: 7, fixed: 'x' } }]);
  });

  it('no input is an empty object; an input that is not an object is refused', async () => {
    const children = new FakeChildren();
    await runAction(request('prepare_subworkflow', { workflow_id: 'wf_child' }), context(), deps(children));
    expect(children.starts[0]!.input).toEqual({});
    const error = await failure(runAction(request('prepare_subworkflow', { workflow_id: 'wf_child', input: '{{input.order.id}}' }), context(), deps(children)));
    expect(error).toMatchObject({ name: RUNNER_ERRORS.nonRetryable, message: 'subworkflow input must resolve to an object, got number 7' });
  });

  it('refuses a secret in the input before any child is written, and never repeats its value', async () => {
    const children = new FakeChildren();
    const error = await failure(runAction(request('prepare_subworkflow', { workflow_id: 'wf_child', input: { t: '{{secrets.TOKEN}}' } }), context(), deps(children)));
    expect(error).toMatchObject({ name: RUNNER_ERRORS.nonRetryable, message: expect.stringContaining('cannot take a secret') });
    expect(JSON.stringify({ message: error.message, details: error.details })).not.toContain(SECRET);
    expect(children.starts).toEqual([]);
  });

  it('the service’s refusals (missing workflow, depth limit) fail the node without retry, naming the field', async () => {
    const missing = new AppError('validation_error', 'workflow_id wf_x: no workflow with this id in this account', { field: 'workflow_id' });
    expect(await failure(runAction(request('prepare_subworkflow', { workflow_id: 'wf_x' }), context(), deps(new FakeChildren(missing))))).toMatchObject({
      name: RUNNER_ERRORS.nonRetryable,
      retryable: false,
      message: 'workflow_id wf_x: no workflow with this id in this account',
      details: { field: 'workflow_id' },
    });
    const deep = conflict('subworkflows nest at most 10 deep', 'workflow_id');
    expect(await failure(runAction(request('prepare_subworkflow', { workflow_id: 'wf_x' }), context(), deps(new FakeChildren(deep))))).toMatchObject({ retryable: false, message: 'subworkflows nest at most 10 deep' });
  });

  it('without an execution service the node fails, saying why', async () => {
    expect(await failure(runAction(request('prepare_subworkflow', { workflow_id: 'wf_x' }), context(), deps()))).toMatchObject({ message: expect.stringContaining('no execution service') });
  });
});

describe('subworkflow: record_subworkflow', () => {
  const child = { name: executionName(CHILD, ACCOUNT) };

  it('wait: true outputs the child’s result; wait: false outputs {execution_id}', async () => {
    const children = new FakeChildren();
    expect((await runAction(request('record_subworkflow', { workflow_id: 'wf_child', wait: true }, { child }), context(), deps(children))).result).toMatchObject({ action: 'execute', output: { total: 3 }, summary: { child_execution_id: CHILD } });
    expect(children.resultReads).toEqual([[ACCOUNT, CHILD]]);
    expect((await runAction(request('record_subworkflow', { workflow_id: 'wf_child', wait: false }, { child }), context(), deps(new FakeChildren()))).result).toMatchObject({ action: 'execute', output: { execution_id: CHILD } });
  });

  it('a failed child fails the node with the child’s error name and its failed node’s message (the .sync:2 cause)', async () => {
    const described = {
      ExecutionArn: `arn:aws:states:us-east-1:123456789012:execution:stepwise-dev-wf_child:${child.name}`,
      Status: 'FAILED',
      Error: 'PaymentDeclined',
      Cause: JSON.stringify({ failed_node: 'boom', node_type: 'fail', error: 'PaymentDeclined', cause: 'card expired' }),
    };
    const error = await failure(runAction(request('record_subworkflow', { workflow_id: 'wf_child' }, { child: { ...child, error: { Error: 'States.TaskFailed', Cause: JSON.stringify(described) } } }), context(), deps(new FakeChildren())));
    expect(error).toMatchObject({ name: 'PaymentDeclined', retryable: false, message: `child execution ${CHILD} failed: node 'boom' (fail) failed: card expired`, details: { child_execution_id: CHILD } });
  });

  it('a stopped child, a timed-out wait and a refused start are named too; only the refused start abandons the child’s record', async () => {
    const children = new FakeChildren();
    const run = (error: { Error?: string; Cause?: string }) => failure(runAction(request('record_subworkflow', { workflow_id: 'wf_child' }, { child: { ...child, error } }), context(), deps(children)));
    expect(await run({ Error: 'States.TaskFailed', Cause: JSON.stringify({ Status: 'ABORTED' }) })).toMatchObject({ name: 'Stepwise.Cancelled', message: `child execution ${CHILD} was stopped: it ended ABORTED` });
    expect(await run({ Error: 'States.Timeout' })).toMatchObject({ name: 'States.Timeout', message: expect.stringContaining('timed out waiting') });
    expect(children.abandoned).toHaveLength(1);
    expect(await run({ Error: 'StepFunctions.StateMachineDoesNotExistException', Cause: 'State Machine Does Not Exist' })).toMatchObject({ name: SUBWORKFLOW_FAILED, message: `child execution ${CHILD} failed: State Machine Does Not Exist` });
    expect(children.abandoned.slice(1)).toEqual([[ACCOUNT, CHILD, `child execution ${CHILD} failed: State Machine Does Not Exist`]]);
  });

  it('refuses a child of another account', async () => {
    const other = { name: executionName(CHILD, 'acct_01ARZ3NDEKTSV4RRFFQ69G5FZZ') };
    expect(await failure(runAction(request('record_subworkflow', { workflow_id: 'wf_child' }, { child: other }), context(), deps(new FakeChildren())))).toMatchObject({ name: RUNNER_ERRORS.nonRetryable });
  });
});
