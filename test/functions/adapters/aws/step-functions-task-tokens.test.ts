import { SendTaskSuccessCommand, SFNClient } from '@aws-sdk/client-sfn';
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
});
