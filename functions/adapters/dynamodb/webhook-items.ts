/**
 * Item shapes of webhooks and their deliveries, shared by the two repositories
 * (webhook-repository.ts, delivery-repository.ts) and the change stream's decoder
 * (event-sources.ts), after execution-items.ts.
 */
import type { Delivery, DeliveryAttempt, Webhook } from '../../core/webhooks/webhook.ts';
import { keys } from './keys.ts';

type Item = Record<string, unknown>;

/** Deliveries (and their attempt log) are kept this long after their last change, dead-lettered ones included. */
export const DELIVERY_RETENTION_SECONDS = 30 * 86_400;

/** Spreads pending deliveries over the gsi1 shards by their id's random part. */
export function dueShard(deliveryId: string): number {
  let hash = 0;
  for (const char of deliveryId.slice(-16)) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return hash % keys.webhookDueShards;
}

export function webhookItem(w: Webhook): Item {
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

export function deliveryItem(d: Delivery): Item {
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

export function deliveryFromItem(item: Item): Delivery {
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
