import { RedriveExecutionCommand, SFNClient, StartExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { StepFunctionsEngine } from '../../../../functions/adapters/aws/step-functions-engine.ts';
import { AppError } from '../../../../functions/core/errors.ts';

const sfn = mockClient(SFNClient);

const MACHINE = 'arn:aws:states:eu-west-1:111122223333:stateMachine:stepwise-wf_01ARZ3NDEKTSV4RRFFQ69G5FAV';
const ALIAS = `${MACHINE}:live`;
const VERSION = `${MACHINE}:3`;
const NAME = 'exec_01ARZ3NDEKTSV4RRFFQ69G5FAV-acct_01ARZ3NDEKTSV4RRFFQ69G5FAV';
const EXECUTION_ARN = `arn:aws:states:eu-west-1:111122223333:execution:stepwise-wf_01ARZ3NDEKTSV4RRFFQ69G5FAV:${NAME}`;

const sdkError = (name: string) => Object.assign(new Error(`${name} happened`), { name });

function engine() {
  const factory = vi.fn(async () => new SFNClient({ region: 'eu-west-1' }));
  return { engine: new StepFunctionsEngine(factory), factory };
}

const startInput = (input: unknown = { order: 42, tags: ['a'] }) => ({
  workflowId: 'wf_01ARZ3NDEKTSV4RRFFQ69G5FAV',
  accountId: 'acct_01ARZ3NDEKTSV4RRFFQ69G5FAV',
  aliasArn: ALIAS,
  versionArn: VERSION,
  stateMachineArn: MACHINE,
  version: 3,
  name: NAME,
  input,
});

beforeEach(() => sfn.reset());

describe('StepFunctionsEngine.start', () => {
  it('starts on the version the record names (not the eventually consistent alias) with the execution name and the JSON input, and returns the ARN Step Functions gives back', async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:from:sfn', startDate: new Date() });
    const { engine: subject, factory } = engine();
    expect(factory).not.toHaveBeenCalled();
    expect(await subject.start(startInput())).toBe('arn:from:sfn');
    expect(factory).toHaveBeenCalledTimes(1);
    const calls = sfn.commandCalls(StartExecutionCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input).toEqual({ stateMachineArn: VERSION, name: NAME, input: '{"order":42,"tags":["a"]}' });
  });

  it('serialises an empty object input as "{}"', async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: EXECUTION_ARN, startDate: new Date() });
    await engine().engine.start(startInput({}));
    expect(sfn.commandCalls(StartExecutionCommand)[0]!.args[0].input.input).toBe('{}');
  });

  it('ExecutionAlreadyExists: a replayed start answers with the ARN derived from the machine ARN and the name', async () => {
    sfn.on(StartExecutionCommand).rejects(sdkError('ExecutionAlreadyExists'));
    expect(await engine().engine.start(startInput())).toBe(EXECUTION_ARN);
  });

  it('other errors propagate unchanged', async () => {
    const error = sdkError('StateMachineDoesNotExist');
    sfn.on(StartExecutionCommand).rejects(error);
    await expect(engine().engine.start(startInput())).rejects.toMatchObject({ name: 'StateMachineDoesNotExist', message: 'StateMachineDoesNotExist happened' });
  });

  it('a failing client factory propagates', async () => {
    const subject = new StepFunctionsEngine(async () => {
      throw new Error('no credentials');
    });
    await expect(subject.start(startInput())).rejects.toThrow('no credentials');
    expect(sfn.calls()).toHaveLength(0);
  });
});

describe('StepFunctionsEngine.stop', () => {
  it('passes the error and cause through', async () => {
    sfn.on(StopExecutionCommand).resolves({ stopDate: new Date() });
    await engine().engine.stop(EXECUTION_ARN, { error: 'Stepwise.Cancelled', cause: 'Cancelled by usr_1' });
    const calls = sfn.commandCalls(StopExecutionCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input).toEqual({ executionArn: EXECUTION_ARN, error: 'Stepwise.Cancelled', cause: 'Cancelled by usr_1' });
  });

  it('ignores ExecutionDoesNotExist', async () => {
    sfn.on(StopExecutionCommand).rejects(sdkError('ExecutionDoesNotExist'));
    await expect(engine().engine.stop(EXECUTION_ARN, { error: 'e', cause: 'c' })).resolves.toBeUndefined();
  });

  it('propagates other errors', async () => {
    sfn.on(StopExecutionCommand).rejects(sdkError('ThrottlingException'));
    await expect(engine().engine.stop(EXECUTION_ARN, { error: 'e', cause: 'c' })).rejects.toMatchObject({ name: 'ThrottlingException' });
  });
});

describe('StepFunctionsEngine.redrive', () => {
  it('redrives by execution ARN', async () => {
    sfn.on(RedriveExecutionCommand).resolves({ redriveDate: new Date() });
    await expect(engine().engine.redrive(EXECUTION_ARN)).resolves.toBeUndefined();
    const calls = sfn.commandCalls(RedriveExecutionCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input).toEqual({ executionArn: EXECUTION_ARN });
  });

  it.each(['ExecutionNotRedrivable', 'ExecutionLimitExceeded'])('%s becomes a 409 conflict on status', async (name) => {
    sfn.on(RedriveExecutionCommand).rejects(sdkError(name));
    const error = await engine()
      .engine.redrive(EXECUTION_ARN)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'conflict', status: 409, field: 'status', message: `Step Functions cannot redrive this execution: ${name} happened` });
  });

  it('propagates other errors', async () => {
    sfn.on(RedriveExecutionCommand).rejects(sdkError('ExecutionDoesNotExist'));
    const error = await engine()
      .engine.redrive(EXECUTION_ARN)
      .catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(AppError);
    expect(error).toMatchObject({ name: 'ExecutionDoesNotExist' });
  });
});
