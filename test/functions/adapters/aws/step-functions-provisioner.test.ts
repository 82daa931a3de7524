import {
  CreateStateMachineAliasCommand,
  CreateStateMachineCommand,
  DeleteStateMachineCommand,
  SFNClient,
  UpdateStateMachineAliasCommand,
  UpdateStateMachineCommand,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { StepFunctionsProvisioner } from '../../../../functions/adapters/aws/step-functions-provisioner.ts';

const sfn = mockClient(SFNClient);
const settings = { namePrefix: 'stepwise-prod', roleArn: 'arn:aws:iam::1:role/sm', logGroupArn: 'arn:aws:logs:eu-west-1:1:log-group:/stepwise/sm:*' };
const provisioner = new StepFunctionsProvisioner(new SFNClient({ region: 'eu-west-1' }), settings);
const SM = 'arn:aws:states:eu-west-1:1:stateMachine:stepwise-prod-wf_1';

describe('StepFunctionsProvisioner', () => {
  beforeEach(() => sfn.reset());

  it('creates a Standard machine with logging, tracing and tags, publishes v1 and points live at it', async () => {
    sfn.on(CreateStateMachineCommand).resolves({ stateMachineArn: SM, stateMachineVersionArn: `${SM}:1` });
    sfn.on(CreateStateMachineAliasCommand).resolves({ stateMachineAliasArn: `${SM}:live` });
    const ref = await provisioner.publish({ accountId: 'acct_1', workflowId: 'wf_1', name: 'ETL', asl: '{"StartAt":"a"}', description: 'v1 of ETL' });
    expect(ref).toEqual({ stateMachineArn: SM, versionArn: `${SM}:1`, aliasArn: `${SM}:live` });
    expect(sfn.commandCalls(CreateStateMachineCommand)[0]!.args[0].input).toEqual({
      name: 'stepwise-prod-wf_1',
      type: 'STANDARD',
      definition: '{"StartAt":"a"}',
      roleArn: settings.roleArn,
      publish: true,
      versionDescription: 'v1 of ETL',
      loggingConfiguration: { level: 'ALL', includeExecutionData: false, destinations: [{ cloudWatchLogsLogGroup: { logGroupArn: settings.logGroupArn } }] },
      tracingConfiguration: { enabled: true },
      tags: [
        { key: 'stepwise:account', value: 'acct_1' },
        { key: 'stepwise:workflow', value: 'wf_1' },
      ],
    });
    expect(sfn.commandCalls(CreateStateMachineAliasCommand)[0]!.args[0].input).toEqual({
      name: 'live',
      description: 'The version new runs start on',
      routingConfiguration: [{ stateMachineVersionArn: `${SM}:1`, weight: 100 }],
    });
  });

  it('publishes a new version on update and moves the alias', async () => {
    sfn.on(UpdateStateMachineCommand).resolves({ stateMachineVersionArn: `${SM}:2` });
    sfn.on(UpdateStateMachineAliasCommand).resolves({});
    const existing = { stateMachineArn: SM, versionArn: `${SM}:1`, aliasArn: `${SM}:live` };
    const ref = await provisioner.publish({ accountId: 'acct_1', workflowId: 'wf_1', name: 'ETL', asl: '{}', description: 'v2 of ETL', existing });
    expect(ref).toEqual({ ...existing, versionArn: `${SM}:2` });
    expect(sfn.commandCalls(UpdateStateMachineCommand)[0]!.args[0].input).toEqual({ stateMachineArn: SM, definition: '{}', publish: true, versionDescription: 'v2 of ETL' });
    expect(sfn.commandCalls(UpdateStateMachineAliasCommand)[0]!.args[0].input).toEqual({
      stateMachineAliasArn: `${SM}:live`,
      routingConfiguration: [{ stateMachineVersionArn: `${SM}:2`, weight: 100 }],
    });
    expect(sfn.commandCalls(CreateStateMachineCommand)).toHaveLength(0);
  });

  it('deletes the machine, tolerating one that is already gone', async () => {
    sfn.on(DeleteStateMachineCommand).rejectsOnce(Object.assign(new Error('gone'), { name: 'StateMachineDoesNotExist' })).resolves({});
    const ref = { stateMachineArn: SM, versionArn: `${SM}:1`, aliasArn: `${SM}:live` };
    await provisioner.remove(ref);
    await provisioner.remove(ref);
    expect(sfn.commandCalls(DeleteStateMachineCommand).map((c) => c.args[0].input)).toEqual([{ stateMachineArn: SM }, { stateMachineArn: SM }]);
    sfn.on(DeleteStateMachineCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    await expect(provisioner.remove(ref)).rejects.toThrow('denied');
  });
});
