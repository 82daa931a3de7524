import { CreateScheduleCommand, DeleteScheduleCommand, SchedulerClient, UpdateScheduleCommand } from '@aws-sdk/client-scheduler';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { EventBridgeSchedules } from '../../../../functions/adapters/aws/eventbridge-schedules.ts';
import { toSchedulerCron } from '../../../../functions/core/triggers/cron.ts';

const scheduler = mockClient(SchedulerClient);
const settings = {
  groupName: 'stepwise-prod',
  roleArn: 'arn:aws:iam::123456789012:role/stepwise-prod-scheduler',
  targetArn: 'arn:aws:lambda:eu-west-1:123456789012:function:stepwise-prod-scheduled-run',
  toSchedulerCron,
};
const schedules = new EventBridgeSchedules(new SchedulerClient({ region: 'eu-west-1' }), settings);
const spec = { accountId: 'acct_01ARZ3NDEKTSV4RRFFQ69G5FAV', workflowId: 'wf_01ARZ3NDEKTSV4RRFFQ69G5FAV', cron: '30 9 * * 1-5', timezone: 'Europe/Berlin', enabled: true };
const awsError = (name: string) => Object.assign(new Error(name), { name });

const expected = {
  Name: 'wf_01ARZ3NDEKTSV4RRFFQ69G5FAV',
  GroupName: 'stepwise-prod',
  ScheduleExpression: 'cron(30 9 ? * MON-FRI *)',
  ScheduleExpressionTimezone: 'Europe/Berlin',
  State: 'ENABLED',
  FlexibleTimeWindow: { Mode: 'OFF' },
  Description: 'Stepwise workflow wf_01ARZ3NDEKTSV4RRFFQ69G5FAV: 30 9 * * 1-5 (Europe/Berlin)',
  ActionAfterCompletion: 'NONE',
  Target: {
    Arn: settings.targetArn,
    RoleArn: settings.roleArn,
    Input: '{"account_id":"acct_01ARZ3NDEKTSV4RRFFQ69G5FAV","workflow_id":"wf_01ARZ3NDEKTSV4RRFFQ69G5FAV","scheduled_time":"<aws.scheduler.scheduled-time>"}',
    RetryPolicy: { MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: 10 },
  },
};

describe('EventBridgeSchedules', () => {
  beforeEach(() => scheduler.reset());

  it('creates one schedule per workflow in the stage group, targeting the scheduled-run function with the slot as input', async () => {
    scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn:aws:scheduler:eu-west-1:123456789012:schedule/stepwise-prod/wf_01ARZ3NDEKTSV4RRFFQ69G5FAV' });
    await schedules.put(spec);
    expect(scheduler.commandCalls(CreateScheduleCommand).map((c) => c.args[0].input)).toEqual([expected]);
    expect(scheduler.commandCalls(UpdateScheduleCommand)).toHaveLength(0);
  });

  it('replaces an existing schedule (Create → ConflictException → Update), disabled while the workflow is paused', async () => {
    scheduler.on(CreateScheduleCommand).rejects(awsError('ConflictException'));
    scheduler.on(UpdateScheduleCommand).resolves({ ScheduleArn: 'arn' });
    await schedules.put({ ...spec, enabled: false, cron: '0 * * * *', timezone: 'UTC' });
    expect(scheduler.commandCalls(UpdateScheduleCommand).map((c) => c.args[0].input)).toEqual([
      {
        ...expected,
        ScheduleExpression: 'cron(0 * * * ? *)',
        ScheduleExpressionTimezone: 'UTC',
        State: 'DISABLED',
        Description: 'Stepwise workflow wf_01ARZ3NDEKTSV4RRFFQ69G5FAV: 0 * * * * (UTC)',
      },
    ]);
  });

  it('passes other errors on', async () => {
    scheduler.on(CreateScheduleCommand).rejects(awsError('ValidationException'));
    await expect(schedules.put(spec)).rejects.toThrow('ValidationException');
    expect(scheduler.commandCalls(UpdateScheduleCommand)).toHaveLength(0);
  });

  it('deletes by name in the group; an already-deleted schedule is fine', async () => {
    scheduler.on(DeleteScheduleCommand).resolvesOnce({}).rejectsOnce(awsError('ResourceNotFoundException')).rejectsOnce(awsError('ThrottlingException'));
    await schedules.remove(spec.workflowId);
    await schedules.remove(spec.workflowId);
    await expect(schedules.remove(spec.workflowId)).rejects.toThrow('ThrottlingException');
    expect(scheduler.commandCalls(DeleteScheduleCommand).map((c) => c.args[0].input)).toEqual(Array.from({ length: 3 }, () => ({ Name: spec.workflowId, GroupName: 'stepwise-prod' })));
  });
});
