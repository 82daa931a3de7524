import { GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Page, PageRequest } from '../../core/pagination.ts';
import type { DeliveryFilter, DeliveryRepository } from '../../core/webhooks/ports.ts';
import type { Delivery } from '../../core/webhooks/webhook.ts';
import { conditionalWrite } from './errors.ts';
import { keys } from './keys.ts';
import { queryPage, type QueryPlan } from './paging.ts';
import { deliveryFromItem, deliveryItem } from './webhook-items.ts';

/**
 * Deliveries. Each write replaces the whole item conditioned on its `revision`: the claim before an
 * attempt, the record after it and a replay are all optimistic, so two dispatchers holding the same
 * message cannot both act. Pending items carry the sparse gsi1 keys the sweep reads.
 */
export class DynamoDeliveryRepository implements DeliveryRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async createIfAbsent(delivery: Delivery): Promise<boolean> {
    return conditionalWrite(() => this.db.send(new PutCommand({ TableName: this.tableName, Item: deliveryItem(delivery), ConditionExpression: 'attribute_not_exists(pk)' })));
  }

  async get(accountId: string, webhookId: string, deliveryId: string): Promise<Delivery | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.webhookDelivery(accountId, webhookId, deliveryId), ConsistentRead: true }));
    return out.Item?.entity === 'webhook_delivery' ? deliveryFromItem(out.Item) : undefined;
  }

  async replace(previous: Delivery, next: Delivery): Promise<boolean> {
    return conditionalWrite(() =>
      this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: deliveryItem(next),
          ConditionExpression: '#r = :expected',
          ExpressionAttributeNames: { '#r': 'revision' },
          ExpressionAttributeValues: { ':expected': previous.revision },
        }),
      ),
    );
  }

  async list(accountId: string, webhookId: string, filter: DeliveryFilter, page: PageRequest): Promise<Page<Delivery>> {
    const names: Record<string, string> = { '#pk': 'pk', '#sk': 'sk' };
    const values: Record<string, unknown> = { ':pk': keys.accountPrefix(accountId), ':sk': keys.webhookDeliveryPrefix(webhookId) };
    if (filter.status) {
      names['#status'] = 'status';
      values[':status'] = filter.status;
    }
    const plan: QueryPlan = {
      input: {
        KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :sk)',
        ...(filter.status ? { FilterExpression: '#status = :status' } : {}),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ScanIndexForward: false,
      },
      partition: { attr: 'pk', value: keys.accountPrefix(accountId) },
      keyAttrs: ['pk', 'sk'],
    };
    const res = await queryPage(this.db, this.tableName, plan, page);
    return { items: res.items.map(deliveryFromItem), total: res.total, nextCursor: res.nextCursor };
  }

  async due(before: Date, limit: number): Promise<Delivery[]> {
    const perShard = await Promise.all(
      Array.from({ length: keys.webhookDueShards }, async (_, shard) => {
        const res = await this.db.send(
          new QueryCommand({
            TableName: this.tableName,
            IndexName: 'gsi1',
            KeyConditionExpression: '#pk = :pk AND #sk <= :before',
            ExpressionAttributeNames: { '#pk': 'gsi1pk', '#sk': 'gsi1sk' },
            ExpressionAttributeValues: { ':pk': keys.webhookDue(shard), ':before': `${before.toISOString()}#~` },
            Limit: limit,
          }),
        );
        return (res.Items ?? []).map(deliveryFromItem);
      }),
    );
    return perShard
      .flat()
      .toSorted((a, b) => ((a.nextAttemptAt ?? '') < (b.nextAttemptAt ?? '') ? -1 : 1))
      .slice(0, limit);
  }
}
