import { systemClock } from '../core/clock.ts';
import { InsightService } from '../core/insight/insight-service.ts';
import { container } from './container.ts';
import { DynamoAccountCounts } from './dynamodb/account-counts.ts';
import { DynamoRollupStore } from './dynamodb/rollup-store.ts';
import { DynamoWorkflowRepository } from './dynamodb/workflow-repository.ts';

let service: InsightService | undefined;

/** Insight reads only: the account's counters, workflow rollups, and the workflow itself (for the 404). */
export function insightService(): InsightService {
  if (!service) {
    const { config, db } = container();
    service = new InsightService(new DynamoAccountCounts(db, config.TABLE_NAME), new DynamoRollupStore(db, config.TABLE_NAME), new DynamoWorkflowRepository(db, config.TABLE_NAME), systemClock);
  }
  return service;
}
