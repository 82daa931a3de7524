import { APIGatewayClient, DeleteApiKeyCommand, GetApiKeysCommand } from '@aws-sdk/client-api-gateway';
import { DeleteScheduleCommand, ListSchedulesCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { DeleteSecretCommand, ListSecretsCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DeleteStateMachineCommand, ListStateMachinesCommand, SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { StageCleanup } from '../../../../functions/adapters/aws/stage-cleanup.ts';

const apigw = mockClient(APIGatewayClient);
const sfn = mockClient(SFNClient);
const scheduler = mockClient(SchedulerClient);
const secrets = mockClient(SecretsManagerClient);
const clients = { apiGateway: new APIGatewayClient({ region: 'eu-west-1' }), stepFunctions: new SFNClient({ region: 'eu-west-1' }), scheduler: new SchedulerClient({ region: 'eu-west-1' }), secrets: new SecretsManagerClient({ region: 'eu-west-1' }) };
const SM = (name: string) => `arn:aws:states:eu-west-1:123456789012:stateMachine:${name}`;
const notFound = (name: string) => Object.assign(new Error(name), { name });

beforeEach(() => {
  for (const m of [apigw, sfn, scheduler, secrets]) m.reset();
});

describe('StageCleanup', () => {
  it('finds only this stage’s keys, machines, schedules and secrets — never stage pr-42’s from stage pr — following pages', async () => {
    apigw
      .on(GetApiKeysCommand, { nameQuery: 'stepwise-pr-acct_', limit: 500, position: undefined, includeValues: false })
      .resolves({ items: [{ id: 'k1', name: 'stepwise-pr-acct_1', tags: { 'stepwise:stage': 'pr' } }, { id: 'k2', name: 'stepwise-pr-acct_2', tags: { 'stepwise:stage': 'other' } }], position: 'p2' })
      .on(GetApiKeysCommand, { position: 'p2' })
      .resolves({ items: [{ id: 'k3', name: 'stepwise-pr-acct_3', tags: { 'stepwise:stage': 'pr' } }] });
    sfn
      .on(ListStateMachinesCommand, { maxResults: 1000, nextToken: undefined })
      .resolves({ stateMachines: [{ name: 'stepwise-pr-wf_1', stateMachineArn: SM('stepwise-pr-wf_1'), type: 'STANDARD', creationDate: new Date() }, { name: 'stepwise-pr-42-wf_1', stateMachineArn: SM('stepwise-pr-42-wf_1'), type: 'STANDARD', creationDate: new Date() }], nextToken: 'n2' })
      .on(ListStateMachinesCommand, { nextToken: 'n2' })
      .resolves({ stateMachines: [{ name: 'stepwise-pr-wf_2', stateMachineArn: SM('stepwise-pr-wf_2'), type: 'STANDARD', creationDate: new Date() }] });
    scheduler.on(ListSchedulesCommand).resolves({ Schedules: [{ Name: 'wf_1' }] });
    secrets.on(ListSecretsCommand).resolves({ SecretList: [{ Name: 'stepwise/pr/acct_1/API_KEY' }, { Name: 'stepwise/pr-42/acct_1/API_KEY' }] });

    const found = await new StageCleanup(clients, 'pr').find();
    expect(found).toEqual({
      apiKeys: [{ id: 'k1', name: 'stepwise-pr-acct_1' }, { id: 'k3', name: 'stepwise-pr-acct_3' }],
      stateMachines: [SM('stepwise-pr-wf_1'), SM('stepwise-pr-wf_2')],
      schedules: ['wf_1'],
      secrets: ['stepwise/pr/acct_1/API_KEY'],
    });
    expect(scheduler.commandCalls(ListSchedulesCommand)[0]!.args[0].input).toMatchObject({ GroupName: 'stepwise-pr' });
    expect(secrets.commandCalls(ListSecretsCommand)[0]!.args[0].input).toMatchObject({ Filters: [{ Key: 'name', Values: ['stepwise/pr/'] }] });
  });

  it('treats a schedule group deleted with the stack as no schedules', async () => {
    apigw.on(GetApiKeysCommand).resolves({ items: [] });
    sfn.on(ListStateMachinesCommand).resolves({ stateMachines: [] });
    scheduler.on(ListSchedulesCommand).rejects(notFound('ResourceNotFoundException'));
    secrets.on(ListSecretsCommand).resolves({ SecretList: [] });
    expect(await new StageCleanup(clients, 'pr').find()).toEqual({ apiKeys: [], stateMachines: [], schedules: [], secrets: [] });
  });

  it('deletes what it found, tolerating what is already gone, with the chosen secret recovery window', async () => {
    apigw.on(DeleteApiKeyCommand).rejectsOnce(notFound('NotFoundException')).resolves({});
    sfn.on(DeleteStateMachineCommand).resolves({});
    scheduler.on(DeleteScheduleCommand).resolves({});
    secrets.on(DeleteSecretCommand).resolves({});
    const found = { apiKeys: [{ id: 'k1', name: 'a' }, { id: 'k2', name: 'b' }], stateMachines: [SM('stepwise-pr-wf_1')], schedules: ['wf_1'], secrets: ['stepwise/pr/acct_1/K'] };
    await new StageCleanup(clients, 'pr').remove(found, { recoveryWindowDays: 7 });
    expect(apigw.commandCalls(DeleteApiKeyCommand).map((c) => c.args[0].input)).toEqual([{ apiKey: 'k1' }, { apiKey: 'k2' }]);
    expect(sfn.commandCalls(DeleteStateMachineCommand)[0]!.args[0].input).toEqual({ stateMachineArn: SM('stepwise-pr-wf_1') });
    expect(scheduler.commandCalls(DeleteScheduleCommand)[0]!.args[0].input).toEqual({ Name: 'wf_1', GroupName: 'stepwise-pr' });
    expect(secrets.commandCalls(DeleteSecretCommand)[0]!.args[0].input).toEqual({ SecretId: 'stepwise/pr/acct_1/K', RecoveryWindowInDays: 7 });
    await new StageCleanup(clients, 'pr').remove({ ...found, apiKeys: [], stateMachines: [], schedules: [] }, { recoveryWindowDays: 0 });
    expect(secrets.commandCalls(DeleteSecretCommand)[1]!.args[0].input).toEqual({ SecretId: 'stepwise/pr/acct_1/K', ForceDeleteWithoutRecovery: true });
    secrets.on(DeleteSecretCommand).rejects(notFound('AccessDeniedException'));
    await expect(new StageCleanup(clients, 'pr').remove({ ...found, apiKeys: [], stateMachines: [], schedules: [] }, { recoveryWindowDays: 7 })).rejects.toThrow('AccessDeniedException');
  });
});
