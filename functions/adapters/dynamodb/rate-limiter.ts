import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { RateLimitStoreUnavailable, type RateLimitCounter, type RateLimitIncrement } from '../../core/rate-limit/ports.ts';
import { isConditionalCheckFailed, refusedItem } from './errors.ts';
import { keys } from './keys.ts';

/** How long a counter item outlives its window before TTL may delete it. */
const TTL_GRACE_SECONDS = 60;

/**
 * Fixed-window counters as atomic conditional updates: exactly one UpdateItem per request. The
 * condition `n < :limit` makes a full window refuse without writing, so the count stops at the
 * limit however hard a client pushes; the refusal returns the stored item (ALL_OLD) instead of
 * costing a second read. SDK failures and timeouts become `RateLimitStoreUnavailable` here.
 */
export class DynamoRateLimiter implements RateLimitCounter {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    /** A slow store must not hold requests hostage: give up and fail open after this long. */
    private readonly timeoutMs = 1500,
  ) {}

  async increment({ key, limit, windowStart, windowEnd }: RateLimitIncrement): Promise<{ count: number; allowed: boolean }> {
    try {
      const out = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.rateLimit(key, windowEnd - windowStart, windowStart),
          UpdateExpression: 'ADD n :one SET #ttl = :ttl',
          ConditionExpression: 'attribute_not_exists(n) OR n < :limit',
          ExpressionAttributeNames: { '#ttl': 'ttl' },
          ExpressionAttributeValues: { ':one': 1, ':limit': limit, ':ttl': windowEnd + TTL_GRACE_SECONDS },
          ReturnValues: 'UPDATED_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
        { abortSignal: AbortSignal.timeout(this.timeoutMs) },
      );
      return { count: Number(out.Attributes?.n ?? 1), allowed: true };
    } catch (error) {
      if (isConditionalCheckFailed(error)) return { count: storedCount(error) ?? limit, allowed: false };
      const e = error as { name?: string; message?: string } | undefined;
      throw new RateLimitStoreUnavailable(`rate-limit counter unavailable: ${e?.name ?? 'Error'}: ${e?.message ?? String(error)}`, { cause: error });
    }
  }
}

/** The refused item's count. */
function storedCount(error: unknown): number | undefined {
  const n = refusedItem(error)?.n;
  const count = Number(n);
  return n !== undefined && Number.isFinite(count) ? count : undefined;
}
