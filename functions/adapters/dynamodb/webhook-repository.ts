import { GetCommand, PutCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Page, PageRequest } from '../../core/pagination.ts';
import type { WebhookRepository } from '../../core/webhooks/ports.ts';
import type { Webhook } from '../../core/webhooks/webhook.ts';
import { conditionalWrite, failedConditionIndexes, ignoreConditionFailure, isConditionalCheckFailed, isTransactionConflict } from './errors.ts';
import { counters, keys } from './keys.ts';
import { forEachPage, queryPage, type QueryPlan } from './paging.ts';
import { webhookFromItem, webhookItem } from './webhook-items.ts';

const WRITE_ATTEMPTS = 3;

/**
 * Webhook subscriptions. Creation and deletion move the account's `webhooks_total` counter in the
 * same transaction, which both answers list totals without counting and enforces the per-account
 * limit atomically. The dispatcher's writes (failure clock, disable) are targeted updates that bump
 * `version`, so an API client holding a stale copy gets a 409 instead of overwriting them.
 */
export class DynamoWebhookRepository implements WebhookRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(webhook: Webhook, limit: number): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.db.send(
          new TransactWriteCommand({
            TransactItems: [
              { Put: { TableName: this.tableName, Item: webhookItem(webhook), ConditionExpression: 'attribute_not_exists(pk)' } },
              {
                Update: {
                  TableName: this.tableName,
                  Key: keys.counters(webhook.accountId),
                  UpdateExpression: 'ADD #n :one',
                  ConditionExpression: 'attribute_not_exists(#n) OR #n < :limit',
                  ExpressionAttributeNames: { '#n': counters.webhooksTotal },
                  ExpressionAttributeValues: { ':one': 1, ':limit': limit },
                },
              },
            ],
          }),
        );
        return true;
      } catch (error) {
        if (failedConditionIndexes(error)?.includes(1)) return false;
        // The COUNTERS item is shared with every counted write of the account; a collision is retried.
        if (isTransactionConflict(error) && attempt < WRITE_ATTEMPTS) continue;
        throw error;
      }
    }
  }

  async get(accountId: string, webhookId: string): Promise<Webhook | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.webhook(accountId, webhookId), ConsistentRead: true }));
    return out.Item?.entity === 'webhook' ? webhookFromItem(out.Item) : undefined;
  }

  async update(previous: Webhook, next: Webhook): Promise<boolean> {
    return conditionalWrite(() =>
      this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: webhookItem(next),
          ConditionExpression: '#v = :expected',
          ExpressionAttributeNames: { '#v': 'version' },
          ExpressionAttributeValues: { ':expected': previous.version },
        }),
      ),
    );
  }

  async delete(previous: Webhook): Promise<boolean> {
    return conditionalWrite(() =>
      this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Delete: {
                TableName: this.tableName,
                Key: keys.webhook(previous.accountId, previous.id),
                ConditionExpression: '#v = :expected',
                ExpressionAttributeNames: { '#v': 'version' },
                ExpressionAttributeValues: { ':expected': previous.version },
              },
            },
            { Update: { TableName: this.tableName, Key: keys.counters(previous.accountId), UpdateExpression: 'ADD #n :minus', ExpressionAttributeNames: { '#n': counters.webhooksTotal }, ExpressionAttributeValues: { ':minus': -1 } } },
          ],
        }),
      ),
    );
  }

  async list(accountId: string, page: PageRequest): Promise<Page<Webhook>> {
    const res = await queryPage(this.db, this.tableName, webhooksPlan(accountId), page);
    return { items: res.items.map(webhookFromItem), total: res.total, nextCursor: res.nextCursor };
  }

  async all(accountId: string): Promise<Webhook[]> {
    const out: Webhook[] = [];
    const { input } = webhooksPlan(accountId);
    await forEachPage(this.db, { ...input, TableName: this.tableName }, async (items) => {
      out.push(...items.map(webhookFromItem));
    });
    return out;
  }

  async startFailureClock(accountId: string, webhookId: string, since: string, now: string): Promise<void> {
    await ignoreConditionFailure(
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.webhook(accountId, webhookId),
          UpdateExpression: 'SET failing_since = :since, updated_at = :now ADD version :one',
          // Only the first failure starts it; a running clock keeps its start.
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(failing_since)',
          ExpressionAttributeValues: { ':since': since, ':now': now, ':one': 1 },
        }),
      ),
    );
  }

  async clearFailureClock(accountId: string, webhookId: string, now: string): Promise<void> {
    await ignoreConditionFailure(
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.webhook(accountId, webhookId),
          UpdateExpression: 'SET updated_at = :now REMOVE failing_since ADD version :one',
          ConditionExpression: 'attribute_exists(pk) AND attribute_exists(failing_since)',
          ExpressionAttributeValues: { ':now': now, ':one': 1 },
        }),
      ),
    );
  }

  async disable(accountId: string, webhookId: string, reason: 'gone' | 'failing', now: string): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.webhook(accountId, webhookId),
          UpdateExpression: 'SET enabled = :false, disabled_reason = :reason, disabled_at = :now, updated_at = :now ADD version :one',
          ConditionExpression: 'attribute_exists(pk) AND enabled = :true',
          ExpressionAttributeValues: { ':false': false, ':true': true, ':reason': reason, ':now': now, ':one': 1 },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }
}

function webhooksPlan(accountId: string): QueryPlan {
  return {
    input: {
      KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :sk)',
      ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk' },
      ExpressionAttributeValues: { ':pk': keys.accountPrefix(accountId), ':sk': keys.webhookPrefix },
      ScanIndexForward: false,
    },
    partition: { attr: 'pk', value: keys.accountPrefix(accountId) },
    keyAttrs: ['pk', 'sk'],
    counter: { accountId, attr: counters.webhooksTotal },
  };
}
