import { SendTaskFailureCommand, SendTaskSuccessCommand, SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { StepFunctionsTaskTokens } from '../../../../functions/adapters/aws/step-functions-task-tokens.ts';

const sfn = mockClient(SFNClient);
const sdkError = (name: string) => Object.assign(new Error(`${name} happened`), { name });
const tokens = () => new StepFunctionsTaskTokens(async () => new SFNClient({ region: 'eu-west-1' }));

beforeEach(() => sfn.reset());

describe('StepFunctionsTaskTokens', () => {
  it('opens a gate with SendTaskSuccess on its token and an empty output', async () => {
    sfn.on(SendTaskSuccessCommand).resolves({});
    await tokens().succeed('AQB8token');
    const calls = sfn.commandCalls(SendTaskSuccessCommand);
    expect(calls.map((c) => c.args[0].input)).toEqual([{ taskToken: 'AQB8token', output: '{}' }]);
  });

  it('ignores a token that is already closed (a retried release, an ended run)', async () => {
    sfn.on(SendTaskSuccessCommand).rejectsOnce(sdkError('TaskTimedOut')).rejectsOnce(sdkError('TaskDoesNotExist'));
    await tokens().succeed('t1');
    await tokens().succeed('t2');
    expect(sfn.commandCalls(SendTaskSuccessCommand)).toHaveLength(2);
  });

  it('lets every other error through, so the release Task retries', async () => {
    sfn.on(SendTaskSuccessCommand).rejects(sdkError('ThrottlingException'));
    await expect(tokens().succeed('t')).rejects.toMatchObject({ name: 'ThrottlingException' });
    sfn.reset();
    sfn.on(SendTaskSuccessCommand).rejects(sdkError('InvalidToken'));
    await expect(tokens().succeed('t')).rejects.toMatchObject({ name: 'InvalidToken' });
  });

  it('completes an approved approval with SendTaskSuccess carrying the runner-shaped answer', async () => {
    sfn.on(SendTaskSuccessCommand).resolves({});
    const output = JSON.stringify({ node_id: 'gate', status: 'completed', output_bytes: 90, summary: { decision: 'approve' } });
    await tokens().succeed('AQB8approve', output);
    expect(sfn.commandCalls(SendTaskSuccessCommand).map((c) => c.args[0].input)).toEqual([{ taskToken: 'AQB8approve', output }]);
    expect(sfn.commandCalls(SendTaskFailureCommand)).toHaveLength(0);
  });

  it('fails a rejected approval with SendTaskFailure: its error name and a Lambda-shaped cause, cut to the API limits', async () => {
    sfn.on(SendTaskFailureCommand).resolves({});
    const cause = JSON.stringify({ errorType: 'Stepwise.ApprovalRejected', errorMessage: 'Rejected by usr_1: no' });
    await tokens().fail('AQB8reject', 'Stepwise.ApprovalRejected', cause);
    await tokens().fail('AQB8long', 'E'.repeat(300), 'c'.repeat(40_000));
    expect(sfn.commandCalls(SendTaskFailureCommand).map((c) => c.args[0].input)).toEqual([
      { taskToken: 'AQB8reject', error: 'Stepwise.ApprovalRejected', cause },
      { taskToken: 'AQB8long', error: 'E'.repeat(256), cause: 'c'.repeat(32_768) },
    ]);
    expect(sfn.commandCalls(SendTaskSuccessCommand)).toHaveLength(0);
  });

  it('a failure for a closed token (the approval timed out meanwhile) is no error; others are', async () => {
    sfn.on(SendTaskFailureCommand).rejectsOnce(sdkError('TaskTimedOut')).rejectsOnce(sdkError('ThrottlingException'));
    await tokens().fail('t1', 'Stepwise.ApprovalRejected', '{}');
    await expect(tokens().fail('t2', 'Stepwise.ApprovalRejected', '{}')).rejects.toMatchObject({ name: 'ThrottlingException' });
  });
});
