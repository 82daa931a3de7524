/**
 * etl's `source_url` and `target_url` (FlowCtl): whether this account may use a location. What a
 * location names and which format it holds are statemachines/etl-locations.ts's, shared with validation.
 */
import type { ParsedLocation } from '../../../statemachines/etl-locations.ts';

export { formatOf, HTTPS_TARGET_REFUSAL, LocationError, parseLocation, SQL_IDENTIFIER, targetFormatOf, type ParsedLocation } from '../../../statemachines/etl-locations.ts';

/**
 * Where this runner's etl and fetch_data may read and write. Local mode: any bucket of the local object
 * store and any DynamoDB Local table but Stepwise's own. AWS: the stage's data bucket under
 * `etl/<account>/`, and tables named `<userTablePrefix><account>-…`, the only ones the role reaches.
 */
export interface DataScope {
  bucket?: string | undefined;
  userTablePrefix?: string | undefined;
  reservedTables: readonly string[];
}

export const accountDataPrefix = (accountId: string) => `etl/${accountId}/`;

export function scopeRefusal(scope: DataScope, accountId: string, location: ParsedLocation): string | undefined {
  if (location.kind === 's3' && scope.bucket !== undefined) {
    const prefix = accountDataPrefix(accountId);
    if (location.bucket !== scope.bucket || !location.key.startsWith(prefix)) return `s3 locations here are s3://${scope.bucket}/${prefix}… (the stage's data bucket, this account's prefix)`;
  }
  if (location.kind === 'dynamodb') {
    if (scope.reservedTables.includes(location.table)) return `dynamodb://${location.table} is Stepwise's own table, not a data table`;
    if (scope.userTablePrefix !== undefined && !location.table.startsWith(`${scope.userTablePrefix}${accountId}-`)) {
      return `dynamodb tables here are named ${scope.userTablePrefix}${accountId}-… (this account's data tables)`;
    }
  }
  return undefined;
}
