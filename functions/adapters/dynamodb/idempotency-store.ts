import { createHash } from 'node:crypto';
import { DeleteCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { IDEMPOTENCY_LEASE_SECONDS, IDEMPOTENCY_TTL_SECONDS, type ClaimOutcome, type IdempotencyScope, type IdempotencyStore, type StoredResult } from '../../core/idempotency/idempotency.ts';
import { isConditionalCheckFailed, refusedItem } from './errors.ts';
import { keys } from './keys.ts';

/**
 * Idempotency-Key claims as items beside the account's data (deleted with it, expired by TTL).
 * A claim is one conditional Put: it wins when no claim exists, the old one expired, or the old
 * one is an abandoned lease; otherwise the refusal returns the stored item (ALL_OLD), so a replay
 * costs no second read. The client's key is stored only as a hash.
 */
export class DynamoIdempotencyStore implements IdempotencyStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async claim(scope: IdempotencyScope, fingerprint: string, now: Date): Promise<ClaimOutcome> {
    const seconds = Math.floor(now.getTime() / 1000);
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...this.key(scope), entity: 'idempotency', state: 'in_progress', fingerprint, claimed_at: seconds, ttl: seconds + IDEMPOTENCY_TTL_SECONDS },
          ConditionExpression: 'attribute_not_exists(pk) OR #ttl < :now OR (#state = :in_progress AND claimed_at < :stale)',
          ExpressionAttributeNames: { '#ttl': 'ttl', '#state': 'state' },
          ExpressionAttributeValues: { ':now': seconds, ':in_progress': 'in_progress', ':stale': seconds - IDEMPOTENCY_LEASE_SECONDS },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { state: 'claimed' };
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
      const item = refusedItem(error);
      // Deleted between the check and now: the key is free again, but this request lost the race; say so rather than loop.
      if (!item) return { state: 'in_progress' };
      if (item.fingerprint !== fingerprint) return { state: 'mismatch' };
      if (item.state === 'in_progress') return { state: 'in_progress' };
      if (typeof item.response !== 'string') return { state: 'not_stored' };
      return { state: 'replay', result: JSON.parse(item.response) as StoredResult };
    }
  }

  async complete(scope: IdempotencyScope, result: StoredResult | undefined): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: this.key(scope),
        UpdateExpression: result ? 'SET #state = :done, #response = :response' : 'SET #state = :done',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#state': 'state', ...(result ? { '#response': 'response' } : {}) },
        ExpressionAttributeValues: { ':done': 'completed', ...(result ? { ':response': JSON.stringify(result) } : {}) },
      }),
    );
  }

  async release(scope: IdempotencyScope): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: this.key(scope) }));
  }

  private key(scope: IdempotencyScope) {
    return keys.idempotency(scope.accountId, `op:${scope.operation}`, createHash('sha256').update(scope.key).digest('base64url'));
  }
}
