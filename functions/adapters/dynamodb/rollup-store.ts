import { QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Granularity, RollupBucket, RollupCounts, RollupStore, RollupWrite } from '../../core/insight/ports.ts';
import { isConditionalCheckFailed } from './errors.ts';
import { keys } from './keys.ts';

/** Item attribute of each count (snake_case, like every other item). */
const ATTR: Readonly<Record<keyof RollupCounts, string>> = {
  executions: 'executions',
  completed: 'completed',
  failed: 'failed',
  timedOut: 'timed_out',
  cancelled: 'cancelled',
  errors: 'errors',
  completedDurationMs: 'completed_duration_ms',
  recordsProcessed: 'records_processed',
  recordsFailed: 'records_failed',
};

/**
 * Workflow rollup buckets: one item per workflow, granularity and bucket start, in the account's
 * partition, grown with `ADD` (no read) and expired by TTL. A period is one Query of one sort-key range.
 */
export class DynamoRollupStore implements RollupStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async add(write: RollupWrite): Promise<void> {
    const entries = Object.entries(write.deltas).filter(([, d]) => d !== 0) as [keyof RollupCounts, number][];
    if (entries.length === 0) return;
    // Every name is aliased: `bucket` (and others) are DynamoDB reserved words.
    const names: Record<string, string> = { '#entity': 'entity', '#wf': 'workflow_id', '#g': 'granularity', '#b': 'bucket', '#ttl': 'ttl' };
    const values: Record<string, unknown> = { ':wf': write.workflowId, ':g': write.granularity, ':b': write.bucket, ':ttl': write.expiresAt };
    const adds = entries.map(([k, d], i) => {
      names[`#c${i}`] = ATTR[k];
      values[`:c${i}`] = d;
      return `#c${i} :c${i}`;
    });
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.workflowRollup(write.accountId, write.workflowId, write.granularity, write.bucket),
          UpdateExpression: `SET #entity = if_not_exists(#entity, :entity), #wf = :wf, #g = :g, #b = :b, #ttl = if_not_exists(#ttl, :ttl) ADD ${adds.join(', ')}`,
          ...(write.onlyIfPresent ? { ConditionExpression: 'attribute_exists(pk)' } : {}),
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: { ...values, ':entity': 'workflow_rollup' },
        }),
      );
    } catch (error) {
      // Taking back a count from a bucket that has expired: there is nothing left to correct.
      if (!(write.onlyIfPresent && isConditionalCheckFailed(error))) throw error;
    }
  }

  async read(accountId: string, workflowId: string, granularity: Granularity, from: string, to: string): Promise<RollupBucket[]> {
    if (from >= to) return [];
    const lower = keys.workflowRollup(accountId, workflowId, granularity, from).sk;
    // ISO instants (all `…T…:…:….000Z`) sort as strings; BETWEEN is inclusive, so the bucket at `to` is dropped below.
    const upper = keys.workflowRollup(accountId, workflowId, granularity, to).sk;
    const out: RollupBucket[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const res = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: { ':pk': keys.accountPrefix(accountId), ':from': lower, ':to': upper },
          ExclusiveStartKey: start,
        }),
      );
      for (const item of res.Items ?? []) if (item.sk !== upper) out.push(fromItem(item));
      start = res.LastEvaluatedKey;
    } while (start);
    return out;
  }
}

function fromItem(i: Record<string, unknown>): RollupBucket {
  const counts = Object.fromEntries(Object.entries(ATTR).map(([k, attr]) => [k, Number(i[attr] ?? 0)])) as unknown as RollupCounts;
  return { start: String(i.bucket), ...counts };
}
