import { InsightService } from '../core/insight/insight-service.ts';
import { DynamoAccountCounts } from '../adapters/dynamodb/account-counts.ts';
import { DynamoRollupStore } from '../adapters/dynamodb/rollup-store.ts';
import { DynamoWorkflowRepository } from '../adapters/dynamodb/workflow-repository.ts';
import { slice } from './stepwise.ts';

/** Insight reads only: the account's counters, workflow rollups, and the workflow itself (for the 404). */
export const insightOf = slice(({ db, table, clock }): InsightService => new InsightService(new DynamoAccountCounts(db, table), new DynamoRollupStore(db, table), new DynamoWorkflowRepository(db, table), clock));
