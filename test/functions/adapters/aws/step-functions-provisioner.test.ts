import {
  CreateStateMachineAliasCommand,
  CreateStateMachineCommand,
  DeleteStateMachineCommand,
  DeleteStateMachineVersionCommand,
  ListExecutionsCommand,
  ListStateMachineVersionsCommand,
  SFNClient,
  UpdateStateMachineAliasCommand,
  UpdateStateMachineCommand,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { KEEP_VERSIONS, StepFunctionsProvisioner } from '../../../../functions/adapters/aws/step-functions-provisioner.ts';

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
    sfn.on(ListStateMachineVersionsCommand).resolves({ stateMachineVersions: [{ stateMachineVersionArn: `${SM}:2`, creationDate: new Date() }, { stateMachineVersionArn: `${SM}:1`, creationDate: new Date() }] });
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

  it('after moving live, deletes versions beyond the newest few, keeping live and any with a running execution', async () => {
    const newest = KEEP_VERSIONS + 5;
    const version = (n: number) => ({ stateMachineVersionArn: `${SM}:${n}`, creationDate: new Date(Date.UTC(2026, 0, n)) });
    // Two pages, in no particular order: version numbers decide what is old.
    const all = Array.from({ length: newest }, (_, i) => version(i + 1)).toReversed();
    sfn.on(UpdateStateMachineCommand).resolves({ stateMachineVersionArn: `${SM}:${newest}` });
    sfn.on(UpdateStateMachineAliasCommand).resolves({});
    sfn.on(ListStateMachineVersionsCommand, { stateMachineArn: SM, maxResults: 1000, nextToken: undefined }).resolves({ stateMachineVersions: all.slice(8), nextToken: 'page-2' });
    sfn.on(ListStateMachineVersionsCommand, { stateMachineArn: SM, maxResults: 1000, nextToken: 'page-2' }).resolves({ stateMachineVersions: all.slice(0, 8) });
    sfn.on(ListExecutionsCommand).resolves({ executions: [] });
    sfn.on(ListExecutionsCommand, { stateMachineArn: `${SM}:2` }).resolves({ executions: [{ executionArn: 'x', stateMachineArn: `${SM}:2`, name: 'x', status: 'RUNNING', startDate: new Date() }] });
    sfn.on(DeleteStateMachineVersionCommand).resolves({});
    sfn.on(DeleteStateMachineVersionCommand, { stateMachineVersionArn: `${SM}:4` }).rejects(Object.assign(new Error('in use'), { name: 'ConflictException' }));
    const existing = { stateMachineArn: SM, versionArn: `${SM}:${newest - 1}`, aliasArn: `${SM}:live` };
    await provisioner.publish({ accountId: 'acct_1', workflowId: 'wf_1', name: 'ETL', asl: '{}', description: 'next', existing });
    const checked = sfn.commandCalls(ListExecutionsCommand).map((c) => c.args[0].input);
    expect(checked).toEqual([1, 2, 3, 4, 5].toReversed().map((n) => ({ stateMachineArn: `${SM}:${n}`, statusFilter: 'RUNNING', maxResults: 1 })));
    expect(sfn.commandCalls(DeleteStateMachineVersionCommand).map((c) => c.args[0].input.stateMachineVersionArn)).toEqual([`${SM}:5`, `${SM}:4`, `${SM}:3`, `${SM}:1`]);
  });

  it('a failed prune never fails the publish: the version is live and the error is reported', async () => {
    const errors: unknown[] = [];
    const reporting = new StepFunctionsProvisioner(new SFNClient({ region: 'eu-west-1' }), { ...settings, onPruneError: (error) => errors.push(error) });
    sfn.on(UpdateStateMachineCommand).resolves({ stateMachineVersionArn: `${SM}:2` });
    sfn.on(UpdateStateMachineAliasCommand).resolves({});
    sfn.on(ListStateMachineVersionsCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    const ref = await reporting.publish({ accountId: 'acct_1', workflowId: 'wf_1', name: 'ETL', asl: '{}', description: 'v2', existing: { stateMachineArn: SM, versionArn: `${SM}:1`, aliasArn: `${SM}:live` } });
    expect(ref.versionArn).toBe(`${SM}:2`);
    expect(errors).toEqual([expect.objectContaining({ name: 'AccessDeniedException' })]);
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
