import { describe, expect, it } from 'vitest';
import { TaskError } from '../../../../functions/adapters/local/asl-compat.ts';
import { localStartExecution, type ChildExecutionParts } from '../../../../functions/adapters/local/local-child-executions.ts';
import type { Outcome } from '../../../../functions/adapters/local/local-engine.ts';
import { executionName, type Execution } from '../../../../functions/core/executions/execution.ts';

const ACCOUNT = 'acct_01ARZ3NDEKTSV4RRFFQ69G5FAV';
const CHILD = 'exec_01ARZ3NDEKTSV4RRFFQ69G5FCC';
const NAME = executionName(CHILD, ACCOUNT);
const MACHINE = 'stepwise-local-wf_01ARZ3NDEKTSV4RRFFQ69G5FWF';
// Local records keep region `local`; the compiler's targets name the configured region.
const EXECUTION_ARN = `arn:aws:states:local:000000000000:execution:${MACHINE}:${NAME}`;
const ALIAS = `arn:aws:states:us-east-1:000000000000:stateMachine:${MACHINE}:live`;

const child = (overrides: Partial<Execution> = {}) =>
  ({ id: CHILD, accountId: ACCOUNT, executionArn: EXECUTION_ARN, status: 'running', startedAt: '2030-01-01T00:00:00.000Z', createdAt: '2030-01-01T00:00:00.000Z', completedAt: null, error: null, parent: { executionId: 'exec_01ARZ3NDEKTSV4RRFFQ69G5FAA', nodeId: 'call', depth: 1 }, ...overrides }) as Execution;

function parts(outcome: Outcome | undefined | Error, stored: Partial<Execution> = {}) {
  const calls = { launched: [] as string[], stopped: [] as string[] };
  const p: ChildExecutionParts = {
    launch: async (name) => {
      calls.launched.push(name);
      return child();
    },
    whenEnded: async () => {
      if (outcome instanceof Error) throw outcome;
      return outcome;
    },
    read: async () => child(stored),
    stop: async (arn) => void calls.stopped.push(arn),
  };
  return { p, calls };
}

const signal = new AbortController().signal;
const ended = (status: Outcome['status'], extra: Partial<Outcome> = {}): Outcome => ({ status, output: null, error: null, cause: null, stopDate: Date.parse('2030-01-01T00:00:05Z'), ...extra });

describe('localStartExecution (states:startExecution[.sync:2] in local mode)', () => {
  it('without sync: starts the prepared child through the service and answers {ExecutionArn, StartDate}', async () => {
    const { p, calls } = parts(undefined);
    expect(await localStartExecution(p)({ StateMachineArn: ALIAS, Name: NAME, Input: {} }, false, signal)).toEqual({ ExecutionArn: EXECUTION_ARN, StartDate: '2030-01-01T00:00:00.000Z' });
    expect(calls.launched).toEqual([NAME]);
  });

  it('.sync:2: waits for the end and answers the description with the output as JSON', async () => {
    const { p } = parts(ended('SUCCEEDED', { output: '{"a":1}' }));
    expect(await localStartExecution(p)({ StateMachineArn: ALIAS, Name: NAME, Input: {} }, true, signal)).toMatchObject({ ExecutionArn: EXECUTION_ARN, Status: 'SUCCEEDED', Output: { a: 1 }, StopDate: '2030-01-01T00:00:05.000Z' });
  });

  it('.sync:2: a failed child is States.TaskFailed with the child’s Error and Cause in a DescribeExecution-shaped cause', async () => {
    const { p } = parts(ended('FAILED', { error: 'PaymentDeclined', cause: '{"failed_node":"boom"}' }));
    const error = await localStartExecution(p)({ StateMachineArn: ALIAS, Name: NAME, Input: {} }, true, signal).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaskError);
    expect((error as TaskError).name).toBe('States.TaskFailed');
    expect(JSON.parse((error as TaskError).message)).toMatchObject({ Status: 'FAILED', Error: 'PaymentDeclined', Cause: '{"failed_node":"boom"}', ExecutionArn: EXECUTION_ARN });
  });

  it('.sync:2: a child the engine no longer holds is read from the store', async () => {
    const { p } = parts(undefined, { status: 'cancelled', error: 'Parent execution exec_x was cancelled' });
    const error = (await localStartExecution(p)({ StateMachineArn: ALIAS, Name: NAME, Input: {} }, true, signal).catch((e: unknown) => e)) as TaskError;
    expect(JSON.parse(error.message)).toMatchObject({ Status: 'ABORTED', Cause: 'Parent execution exec_x was cancelled' });
  });

  it('stops the child when the parent gives up waiting, and refuses a name of another machine', async () => {
    const { p, calls } = parts(new Error('aborted'));
    await expect(localStartExecution(p)({ StateMachineArn: ALIAS, Name: NAME, Input: {} }, true, signal)).rejects.toThrow('aborted');
    expect(calls.stopped).toEqual([EXECUTION_ARN]);
    const other = await localStartExecution(parts(undefined).p)({ StateMachineArn: ALIAS.replace(MACHINE, 'stepwise-local-wf_other'), Name: NAME, Input: {} }, false, signal).catch((e: unknown) => e);
    expect(other).toMatchObject({ name: 'StepFunctions.InvalidArnException' });
  });
});
