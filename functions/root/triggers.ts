import { toSchedulerCron } from '../core/triggers/cron.ts';
import { TriggerService } from '../core/triggers/trigger-service.ts';
import { DynamoExecutionRepository } from '../adapters/dynamodb/execution-repository.ts';
import { DynamoTriggerStore } from '../adapters/dynamodb/trigger-store.ts';
import { executionsOf } from './executions.ts';
import { slice } from './stepwise.ts';
import { workflowRepositoryOf } from './repositories.ts';

/**
 * Triggers: the workflows API (keeping schedules and webhook tokens in line with definitions), the
 * triggers API, the scheduled-run target and the trigger dispatcher.
 */
export interface Triggers {
  readonly triggers: TriggerService;
  readonly store: DynamoTriggerStore;
  /** Where hook URLs point (PUBLIC_BASE_URL); without it, the request's own host is used. */
  readonly publicBaseUrl: string | undefined;
}

export const triggersOf = slice((stepwise): Triggers => {
  const { db, table } = stepwise;
  const store = new DynamoTriggerStore(db, table);
  const triggers = new TriggerService({
    store,
    schedules: stepwise.platform.schedules(toSchedulerCron),
    workflows: workflowRepositoryOf(stepwise),
    // Resolved on use: the workflows function only syncs and never loads the run machinery for it.
    runs: () => executionsOf(stepwise).executions,
    executions: () => new DynamoExecutionRepository(db, table),
    runStats: () => executionsOf(stepwise).runStats,
    clock: stepwise.clock,
    logger: stepwise.logger,
  });
  return { triggers, store, publicBaseUrl: stepwise.config.PUBLIC_BASE_URL };
});
