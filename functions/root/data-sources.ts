import { DataSourceService } from '../core/data-sources/data-source-service.ts';
import { LOCAL_DATA_SOURCE, type DataSource } from '../core/data-sources/data-source.ts';
import { DynamoDataSourceRepository } from '../adapters/dynamodb/data-source-repository.ts';
import { slice, type Stepwise } from './stepwise.ts';

/** Local mode's `local` source as every account sees it: the embedded Postgres (functions/root/local.ts), never stored. */
export function builtInDataSource(stepwise: Stepwise, accountId: string): DataSource | undefined {
  const local = stepwise.platform.localPostgres();
  if (!local) return undefined;
  return { accountId, name: LOCAL_DATA_SOURCE, type: 'postgres', url: local.url, builtIn: true, createdAt: local.since, updatedAt: local.since };
}

/** Data sources for the API and the dry run (the runner reads the same items: functions/root/runner.ts). */
export const dataSourcesOf = slice((stepwise): DataSourceService => new DataSourceService(new DynamoDataSourceRepository(stepwise.db, stepwise.table), stepwise.clock, (accountId) => builtInDataSource(stepwise, accountId)));
