import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Page, PageRequest } from '../../core/pagination.ts';
import type { DeliveryFilter, DeliveryRepository, WebhookRepository } from '../../core/webhooks/ports.ts';
import type { Delivery, DeliveryAttempt, Webhook } from '../../core/webhooks/webhook.ts';
import { failedConditionIndexes, isConditionalCheckFailed, isTransactionConflict } from './errors.ts';
import { counters, keys } from './keys.ts';
import { forEachPage, queryPage, type QueryPlan } from './paging.ts';

type Item = Record<string, unknown>;

/** Deliveries (and their attempt log) are kept this long after their last change, dead-lettered ones included. */
export const DELIVERY_RETENTION_SECONDS = 30 * 86_400;

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
    return conditional(() =>
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
    return conditional(() =>
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
    return conditional(() => this.db.send(new PutCommand({ TableName: this.tableName, Item: deliveryItem(delivery), ConditionExpression: 'attribute_not_exists(pk)' })));
  }

  async get(accountId: string, webhookId: string, deliveryId: string): Promise<Delivery | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.webhookDelivery(accountId, webhookId, deliveryId), ConsistentRead: true }));
    return out.Item?.entity === 'webhook_delivery' ? deliveryFromItem(out.Item) : undefined;
  }

  async replace(previous: Delivery, next: Delivery): Promise<boolean> {
    return conditional(() =>
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

async function conditional(write: () => Promise<unknown>): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (error) {
    if (isConditionalCheckFailed(error) || failedConditionIndexes(error) || isTransactionConflict(error)) return false;
    throw error;
  }
}

async function ignoreConditionFailure(write: Promise<unknown>): Promise<void> {
  try {
    await write;
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw error;
  }
}

/** Spreads pending deliveries over the gsi1 shards by their id's random part. */
export function dueShard(deliveryId: string): number {
  let hash = 0;
  for (const char of deliveryId.slice(-16)) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return hash % keys.webhookDueShards;
}

function webhookItem(w: Webhook): Item {
  return {
    ...keys.webhook(w.accountId, w.id),
    entity: 'webhook',
    id: w.id,
    account_id: w.accountId,
    url: w.url,
    events: [...w.events],
    description: w.description,
    enabled: w.enabled,
    disabled_reason: w.disabledReason,
    disabled_at: w.disabledAt,
    // Present only while the clock runs, so the dispatcher's conditions can test for it.
    ...(w.failingSince ? { failing_since: w.failingSince } : {}),
    // Stored with the item, encrypted at rest by the table's key (docs/api.md#webhooks); never returned after creation.
    secret: w.secret,
    previous_secret: w.previousSecret ? { secret: w.previousSecret.secret, expires_at: w.previousSecret.expiresAt } : null,
    created_at: w.createdAt,
    updated_at: w.updatedAt,
    version: w.version,
  };
}

/** Also decodes a change-stream image of a webhook item (the `webhook.disabled` mapper reads it). */
export function webhookFromItem(item: Item): Webhook {
  const previous = item.previous_secret as { secret: string; expires_at: string } | null | undefined;
  return {
    id: item.id as string,
    accountId: item.account_id as string,
    url: item.url as string,
    events: (item.events as Webhook['events']) ?? [],
    description: (item.description as string | null | undefined) ?? null,
    enabled: item.enabled === true,
    disabledReason: (item.disabled_reason as Webhook['disabledReason'] | undefined) ?? null,
    disabledAt: (item.disabled_at as string | null | undefined) ?? null,
    failingSince: (item.failing_since as string | null | undefined) ?? null,
    secret: item.secret as string,
    previousSecret: previous ? { secret: previous.secret, expiresAt: previous.expires_at } : null,
    createdAt: item.created_at as string,
    updatedAt: item.updated_at as string,
    version: Number(item.version),
  };
}

function deliveryItem(d: Delivery): Item {
  return {
    ...keys.webhookDelivery(d.accountId, d.webhookId, d.id),
    entity: 'webhook_delivery',
    ...(d.status === 'pending' ? { gsi1pk: keys.webhookDue(dueShard(d.id)), gsi1sk: `${d.nextAttemptAt ?? d.updatedAt}#${d.id}` } : {}),
    id: d.id,
    account_id: d.accountId,
    webhook_id: d.webhookId,
    event_id: d.eventId,
    event_type: d.eventType,
    body: d.body,
    test: d.test,
    status: d.status,
    attempts: d.attempts,
    cycle_start: d.cycleStart,
    max_attempts: d.maxAttempts,
    next_attempt_at: d.nextAttemptAt,
    last_attempt_at: d.lastAttemptAt,
    last_status_code: d.lastStatusCode,
    dead_letter_reason: d.deadLetterReason,
    attempt_log: d.attemptLog.map((a) => ({
      attempt: a.attempt,
      attempted_at: a.attemptedAt,
      status_code: a.statusCode,
      latency_ms: a.latencyMs,
      response_excerpt: a.responseExcerpt,
      response_truncated: a.responseTruncated,
      error: a.error,
      outcome: a.outcome,
      next_attempt_at: a.nextAttemptAt,
    })),
    lease: d.lease,
    revision: d.revision,
    created_at: d.createdAt,
    updated_at: d.updatedAt,
    ttl: Math.floor(Date.parse(d.updatedAt) / 1000) + DELIVERY_RETENTION_SECONDS,
  };
}

function deliveryFromItem(item: Item): Delivery {
  const log = (item.attempt_log as Item[] | undefined) ?? [];
  return {
    id: item.id as string,
    accountId: item.account_id as string,
    webhookId: item.webhook_id as string,
    eventId: item.event_id as string,
    eventType: item.event_type as Delivery['eventType'],
    body: item.body as string,
    test: item.test === true,
    status: item.status as Delivery['status'],
    attempts: Number(item.attempts),
    cycleStart: Number(item.cycle_start ?? 0),
    maxAttempts: Number(item.max_attempts),
    nextAttemptAt: (item.next_attempt_at as string | null | undefined) ?? null,
    lastAttemptAt: (item.last_attempt_at as string | null | undefined) ?? null,
    lastStatusCode: item.last_status_code === null || item.last_status_code === undefined ? null : Number(item.last_status_code),
    deadLetterReason: (item.dead_letter_reason as Delivery['deadLetterReason'] | undefined) ?? null,
    attemptLog: log.map(
      (a): DeliveryAttempt => ({
        attempt: Number(a.attempt),
        attemptedAt: a.attempted_at as string,
        statusCode: a.status_code === null || a.status_code === undefined ? null : Number(a.status_code),
        latencyMs: Number(a.latency_ms),
        responseExcerpt: (a.response_excerpt as string | null | undefined) ?? null,
        responseTruncated: a.response_truncated === true,
        error: (a.error as string | null | undefined) ?? null,
        outcome: a.outcome as DeliveryAttempt['outcome'],
        nextAttemptAt: (a.next_attempt_at as string | null | undefined) ?? null,
      }),
    ),
    lease: (item.lease as Delivery['lease'] | undefined) ?? null,
    revision: Number(item.revision),
    createdAt: item.created_at as string,
    updatedAt: item.updated_at as string,
  };
}
