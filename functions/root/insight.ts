import { InsightService } from '../core/insight/insight-service.ts';
import { DynamoAccountCounts } from '../adapters/dynamodb/account-counts.ts';
import { DynamoRollupStore } from '../adapters/dynamodb/rollup-store.ts';
import { slice } from './stepwise.ts';
import { workflowRepositoryOf } from './repositories.ts';

/** Insight reads only: the account's counters, workflow rollups, and the workflow itself (for the 404). */
export const insightOf = slice((stepwise): InsightService => {
  const { db, table, clock } = stepwise;
  return new InsightService(new DynamoAccountCounts(db, table), new DynamoRollupStore(db, table), workflowRepositoryOf(stepwise), clock);
});
