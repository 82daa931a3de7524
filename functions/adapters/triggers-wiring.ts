import { systemClock } from '../core/clock.ts';
import type { ScheduleProvisioner } from '../core/triggers/ports.ts';
import { TriggerService } from '../core/triggers/trigger-service.ts';
import { createLogger } from '../http/logger.ts';
import type { Config } from './config.ts';
import { container } from './container.ts';
import { DynamoExecutionRepository } from './dynamodb/execution-repository.ts';
import { DynamoTriggerStore } from './dynamodb/trigger-store.ts';
import { DynamoWorkflowRepository } from './dynamodb/workflow-repository.ts';
import { executionDeps } from './executions-wiring.ts';
import { lazy } from './lazy.ts';
import { LocalSchedules } from './local/local-scheduler.ts';

/**
 * Triggers' wiring, shared by the workflows function (keeping schedules and webhook tokens in
 * line with definitions), the triggers API, the scheduled-run target and the trigger dispatcher.
 */
export interface TriggerWiring {
  triggers: TriggerService;
  /** Where hook URLs point (PUBLIC_BASE_URL); without it, the request's own host is used. */
  publicBaseUrl: string | undefined;
}

let wiring: TriggerWiring | undefined;

export function triggerDeps(): TriggerWiring {
  if (!wiring) {
    const { config, db } = container();
    const triggers = new TriggerService({
      store: new DynamoTriggerStore(db, config.TABLE_NAME),
      schedules: schedulesFor(config),
      workflows: new DynamoWorkflowRepository(db, config.TABLE_NAME),
      // Resolved on use: the workflows function only syncs and never loads the run machinery for it.
      runs: () => executionDeps().executions,
      executions: () => new DynamoExecutionRepository(db, config.TABLE_NAME),
      runStats: () => executionDeps().runStats,
      clock: systemClock,
      logger: createLogger(config.LOG_LEVEL),
    });
    wiring = { triggers, publicBaseUrl: config.PUBLIC_BASE_URL };
  }
  return wiring;
}

/** EventBridge Scheduler on AWS (SDK loaded on first use), the in-process cron loop locally. */
function schedulesFor(config: Config): ScheduleProvisioner {
  if (config.STEPWISE_MODE === 'local') return new LocalSchedules();
  const load = lazy(async () => {
    const { SCHEDULE_GROUP_NAME: groupName, SCHEDULER_ROLE_ARN: roleArn, SCHEDULED_RUN_ARN: targetArn } = config;
    if (!groupName || !roleArn || !targetArn) throw new Error('SCHEDULE_GROUP_NAME, SCHEDULER_ROLE_ARN and SCHEDULED_RUN_ARN are required to manage schedule triggers');
    const [{ SchedulerClient }, { EventBridgeSchedules }] = await Promise.all([import('@aws-sdk/client-scheduler'), import('./aws/eventbridge-schedules.ts')]);
    return new EventBridgeSchedules(new SchedulerClient({ region: config.AWS_REGION, maxAttempts: 6, retryMode: 'adaptive' }), { groupName, roleArn, targetArn });
  });
  return {
    put: async (spec) => (await load()).put(spec),
    remove: async (workflowId) => (await load()).remove(workflowId),
  };
}
