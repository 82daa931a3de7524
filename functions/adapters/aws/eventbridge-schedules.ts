import { CreateScheduleCommand, DeleteScheduleCommand, UpdateScheduleCommand, type CreateScheduleCommandInput, type SchedulerClient } from '@aws-sdk/client-scheduler';
import type { ScheduleProvisioner, ScheduleSpec } from '../../core/triggers/ports.ts';

export interface SchedulerSettings {
  /** The stage's schedule group (`stepwise-<stage>`); IAM confines the API functions to it. */
  readonly groupName: string;
  /** The role Scheduler assumes to invoke the target; only it may be passed, only to Scheduler. */
  readonly roleArn: string;
  /** The scheduled-run Lambda (functions/scheduled-run), which starts the run through ExecutionService. */
  readonly targetArn: string;
  /**
   * 5-field cron → Scheduler's `cron(…)` (functions/core/triggers/cron.ts toSchedulerCron), passed in
   * so the cron parser is bundled only into functions that keep schedules, not into every one that
   * carries this adapter.
   */
  readonly toSchedulerCron: (cron: string) => string;
}

/**
 * One EventBridge Scheduler schedule per workflow, named after the workflow (ids are global ULIDs,
 * 29 characters, inside Scheduler's 64). The target is a Lambda rather than Step Functions'
 * StartExecution, so every scheduled run gets its execution record, counters and events like any other.
 */
export class EventBridgeSchedules implements ScheduleProvisioner {
  constructor(
    private readonly client: SchedulerClient,
    private readonly settings: SchedulerSettings,
  ) {}

  async put(spec: ScheduleSpec): Promise<void> {
    const input = this.input(spec);
    try {
      await this.client.send(new CreateScheduleCommand(input));
    } catch (error) {
      if ((error as { name?: string }).name !== 'ConflictException') throw error;
      // UpdateSchedule replaces every field, so it takes the same complete input.
      await this.client.send(new UpdateScheduleCommand(input));
    }
  }

  async remove(workflowId: string): Promise<void> {
    try {
      await this.client.send(new DeleteScheduleCommand({ Name: workflowId, GroupName: this.settings.groupName }));
    } catch (error) {
      if ((error as { name?: string }).name !== 'ResourceNotFoundException') throw error;
    }
  }

  private input(spec: ScheduleSpec): CreateScheduleCommandInput {
    return {
      Name: spec.workflowId,
      GroupName: this.settings.groupName,
      ScheduleExpression: this.settings.toSchedulerCron(spec.cron),
      ScheduleExpressionTimezone: spec.timezone,
      State: spec.enabled ? 'ENABLED' : 'DISABLED',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Description: `Stepwise workflow ${spec.workflowId}: ${spec.cron} (${spec.timezone})`,
      ActionAfterCompletion: 'NONE',
      Target: {
        Arn: this.settings.targetArn,
        RoleArn: this.settings.roleArn,
        // Scheduler fills in the slot; the run's idempotency key is built from it, so a retried invocation starts nothing new.
        Input: JSON.stringify({ account_id: spec.accountId, workflow_id: spec.workflowId, scheduled_time: '<aws.scheduler.scheduled-time>' }),
        RetryPolicy: { MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: 10 },
      },
    };
  }
}
