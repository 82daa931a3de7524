import * as z from 'zod';
import { EVENT_TYPES } from '../core/events/catalog.ts';
import { DELIVERY_STATUSES, MAX_URL_LENGTH, SUBSCRIPTIONS, type Delivery, type DeliveryAttempt, type Subscription, type Webhook } from '../core/webhooks/webhook.ts';
import { PaginationSchema, PagingQuery } from '../shared/schemas.ts';

const EventName = z
  .enum(SUBSCRIPTIONS as [Subscription, ...Subscription[]], { error: `unknown event type; use one of ${EVENT_TYPES.join(', ')}, or "*" for every event` })
  .meta({ description: 'An event type, or "*" for every event (including types added later)' });

const Url = z.string().min(1, 'url must not be empty').max(MAX_URL_LENGTH, `url must be at most ${MAX_URL_LENGTH} characters`).meta({
  description: 'Where deliveries are POSTed. https on AWS stages (http is also accepted in local mode); private, loopback (outside local mode), link-local and metadata addresses are refused.',
  example: 'https://example.com/stepwise-webhook',
});
const Events = z.array(EventName).min(1, 'events must list at least one event type').max(SUBSCRIPTIONS.length);
const Secret = z
  .string()
  .max(256)
  .meta({
    description:
      'Signing secret: "whsec_" + base64 of 8–64 bytes (Standard Webhooks; the HMAC key is the decoded bytes), or any other text of 8–256 characters (the key is its UTF-8 bytes). Leave it out and one is generated (returned once).',
  });
const Description = z.string().max(500, 'description must be at most 500 characters').nullable();

const oneEventField = (b: { event?: unknown; events?: unknown }) => !(b.event !== undefined && b.events !== undefined);
const EITHER = { message: 'send either event (one type) or events (a list), not both', path: ['event'] };

/** AstraFlow's `{url, event}` and CloudFlow/FlowCtl's `{url, events[], secret}` are both accepted. */
export const CreateWebhookBody = z
  .strictObject({
    url: Url,
    event: EventName.optional().meta({ description: 'One event type (AstraFlow); same as events: [event]' }),
    events: Events.optional(),
    secret: Secret.optional(),
    description: Description.optional(),
    enabled: z.boolean().optional().meta({ description: 'Default true' }),
  })
  .refine(oneEventField, EITHER)
  .refine((b) => b.event !== undefined || b.events !== undefined, { message: 'events (or event) is required', path: ['events'] })
  .meta({ id: 'CreateWebhook' });

export const UpdateWebhookBody = z
  .strictObject({
    url: Url.optional(),
    event: EventName.optional(),
    events: Events.optional(),
    description: Description.optional(),
    enabled: z.boolean().optional().meta({ description: 'true re-enables a disabled webhook and resets its failure clock' }),
    secret: Secret.optional(),
    rotate_secret: z.boolean().optional().meta({ description: 'Generate a new secret (returned once); the old one keeps signing too for 24 hours' }),
    version: z.number().int().min(1).optional().meta({ description: 'Expected current version (alternative to If-Match)' }),
  })
  .refine(oneEventField, EITHER)
  .meta({ id: 'UpdateWebhook' });

export const DeliveryPath = z.object({
  id: z.string().min(1).max(64).meta({ description: 'The webhook’s id (whk_…)' }),
  delivery_id: z.string().min(1).max(64).meta({ description: 'The delivery’s id (dlv_…)' }),
});

export const ListDeliveriesQuery = PagingQuery.extend({ status: z.enum(DELIVERY_STATUSES).optional().meta({ description: 'Only deliveries in this status' }) });

export const WebhookSchema = z
  .object({
    id: z.string(),
    webhook_id: z.string().meta({ description: 'Same as id' }),
    url: z.string(),
    events: z.array(z.string()),
    event: z.string().nullable().meta({ description: 'The one event type when the webhook subscribes to exactly one (AstraFlow), else null' }),
    description: z.string().nullable(),
    enabled: z.boolean(),
    status: z.enum(['active', 'disabled']),
    disabled_reason: z.enum(['manual', 'gone', 'failing']).nullable().meta({ description: 'manual (PATCH), gone (the endpoint answered 410), failing (every attempt failed for 5 days)' }),
    disabled_at: z.string().nullable(),
    failing_since: z.string().nullable().meta({ description: 'Start of the current run of failed attempts; the endpoint is disabled after 5 days of them' }),
    previous_secret_expires_at: z.string().nullable().meta({ description: 'After a rotation: until when deliveries are also signed with the previous secret' }),
    secret: z.string().optional().meta({ description: 'Only in the create response and after a rotation: store it now, it is never shown again' }),
    created_at: z.string(),
    updated_at: z.string(),
    version: z.number().int(),
  })
  .meta({ id: 'Webhook' });

export const WebhookListSchema = z.object({ data: z.array(WebhookSchema), pagination: PaginationSchema }).meta({ id: 'WebhookList' });

const AttemptSchema = z
  .object({
    attempt: z.number().int().meta({ description: '1-based, across replays' }),
    attempted_at: z.string(),
    status_code: z.number().int().nullable().meta({ description: 'null when no response arrived' }),
    latency_ms: z.number().int(),
    response_excerpt: z.string().nullable().meta({ description: 'The first 1 KB of the response body, as received' }),
    response_truncated: z.boolean(),
    error: z.string().nullable().meta({ description: 'Why no response arrived (timeout, network, blocked_address, redirect)' }),
    outcome: z.enum(['succeeded', 'failed', 'gone']),
    next_attempt_at: z.string().nullable(),
  })
  .meta({ id: 'WebhookDeliveryAttempt' });

export const DeliverySchema = z
  .object({
    id: z.string(),
    delivery_id: z.string().meta({ description: 'Same as id; also the webhook-id header of every attempt' }),
    webhook_id: z.string(),
    event_id: z.string(),
    event: z.string(),
    test: z.boolean(),
    status: z.enum(DELIVERY_STATUSES).meta({ description: 'pending (more attempts scheduled), delivered, or dead_lettered (given up; replayable)' }),
    final: z.boolean().meta({ description: 'true once delivered or dead-lettered' }),
    dead_letter_reason: z.enum(['exhausted', 'gone', 'endpoint_disabled', 'webhook_deleted', 'single_attempt']).nullable(),
    attempt_count: z.number().int(),
    max_attempts: z.number().int().meta({ description: 'Attempts one cycle may make (8, or 1 for a test ping); a replay starts a new cycle' }),
    next_attempt_at: z.string().nullable(),
    last_attempt_at: z.string().nullable(),
    last_status_code: z.number().int().nullable(),
    payload: z.record(z.string(), z.unknown()).meta({ description: 'The envelope sent: {id, event, timestamp, account_id, data}' }),
    attempts: z.array(AttemptSchema).meta({ description: 'The latest attempts, oldest first (at most 20)' }),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: 'WebhookDelivery' });

export const DeliveryListSchema = z.object({ data: z.array(DeliverySchema), pagination: PaginationSchema }).meta({ id: 'WebhookDeliveryList' });

export function webhookView(w: Webhook, secret?: string): z.output<typeof WebhookSchema> {
  return {
    id: w.id,
    webhook_id: w.id,
    url: w.url,
    events: [...w.events],
    event: w.events.length === 1 && w.events[0] !== '*' ? w.events[0]! : null,
    description: w.description,
    enabled: w.enabled,
    status: w.enabled ? 'active' : 'disabled',
    disabled_reason: w.disabledReason,
    disabled_at: w.disabledAt,
    failing_since: w.failingSince,
    previous_secret_expires_at: w.previousSecret?.expiresAt ?? null,
    ...(secret !== undefined ? { secret } : {}),
    created_at: w.createdAt,
    updated_at: w.updatedAt,
    version: w.version,
  };
}

const attemptView = (a: DeliveryAttempt): z.output<typeof AttemptSchema> => ({
  attempt: a.attempt,
  attempted_at: a.attemptedAt,
  status_code: a.statusCode,
  latency_ms: a.latencyMs,
  response_excerpt: a.responseExcerpt,
  response_truncated: a.responseTruncated,
  error: a.error,
  outcome: a.outcome,
  next_attempt_at: a.nextAttemptAt,
});

export function deliveryView(d: Delivery): z.output<typeof DeliverySchema> {
  return {
    id: d.id,
    delivery_id: d.id,
    webhook_id: d.webhookId,
    event_id: d.eventId,
    event: d.eventType,
    test: d.test,
    status: d.status,
    final: d.status !== 'pending',
    dead_letter_reason: d.deadLetterReason,
    attempt_count: d.attempts,
    max_attempts: d.maxAttempts,
    next_attempt_at: d.nextAttemptAt,
    last_attempt_at: d.lastAttemptAt,
    last_status_code: d.lastStatusCode,
    payload: JSON.parse(d.body) as Record<string, unknown>,
    attempts: d.attemptLog.map(attemptView),
    created_at: d.createdAt,
    updated_at: d.updatedAt,
  };
}
