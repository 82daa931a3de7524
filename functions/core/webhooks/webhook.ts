import { createHash } from 'node:crypto';
import { decodeTime, encodeTime } from 'ulid';
import { EVENT_TYPES, type DomainEvent, type EventType } from '../events/catalog.ts';

/**
 * Outbound webhooks: an account's subscriptions (AstraFlow `{url, event}`, CloudFlow/FlowCtl
 * `{url, events[], secret}`) and the deliveries made to them. Pure types and helpers.
 */

/** Subscribes to every event type, including ones added later. */
export const ALL_EVENTS = '*';
export type Subscription = EventType | typeof ALL_EVENTS;
export const SUBSCRIPTIONS: readonly Subscription[] = [...EVENT_TYPES, ALL_EVENTS];

/**
 * The ping of `POST /webhooks/{id}/test`. Not a domain event (never on the bus, not subscribable):
 * it only exists as a delivery, signed and recorded like any other.
 */
export const WEBHOOK_TEST_EVENT = 'webhook.test';
export type DeliveryEventType = EventType | typeof WEBHOOK_TEST_EVENT;

/** What a receiver gets: the event envelope, byte for byte the same on every attempt. */
export interface Envelope {
  readonly id: string;
  readonly event: DeliveryEventType;
  readonly timestamp: string;
  readonly account_id: string;
  readonly data: Record<string, unknown>;
}

export const MAX_WEBHOOKS_PER_ACCOUNT = 50;
export const MAX_URL_LENGTH = 2048;

/** `manual`: PATCH enabled=false. `gone`: the endpoint answered 410. `failing`: every attempt failed for 5 days. */
export type DisabledReason = 'manual' | 'gone' | 'failing';

export interface Webhook {
  readonly id: string;
  readonly accountId: string;
  readonly url: string;
  readonly events: readonly Subscription[];
  readonly description: string | null;
  readonly enabled: boolean;
  readonly disabledReason: DisabledReason | null;
  readonly disabledAt: string | null;
  /** Start of the current run of failed attempts (the "failure clock"); null after any success. */
  readonly failingSince: string | null;
  /** `whsec_…`; returned by the API only when it is created or rotated. */
  readonly secret: string;
  /** After a rotation the old secret keeps signing too (a second `v1,` signature) until it expires. */
  readonly previousSecret: { readonly secret: string; readonly expiresAt: string } | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly version: number;
}

export function subscribes(webhook: Pick<Webhook, 'events'>, event: string): boolean {
  return webhook.events.includes(ALL_EVENTS) || webhook.events.includes(event as Subscription);
}

/** One subscription list: `*` swallows the rest, duplicates go, order is kept. */
export function normaliseSubscriptions(events: readonly Subscription[]): Subscription[] {
  if (events.includes(ALL_EVENTS)) return [ALL_EVENTS];
  return [...new Set(events)];
}

/**
 * `pending`: more attempts are scheduled. `delivered`: a 2xx arrived. `dead_lettered`: Stepwise
 * gave up (see DeadLetterReason); the delivery stays listed and can be replayed.
 */
export const DELIVERY_STATUSES = ['pending', 'delivered', 'dead_lettered'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/**
 * `exhausted`: every attempt of the schedule failed. `gone`: the endpoint answered 410.
 * `endpoint_disabled`: the webhook was (or got) disabled while the delivery waited.
 * `webhook_deleted`: the webhook went away. `single_attempt`: a test ping failed (pings are not retried).
 */
export type DeadLetterReason = 'exhausted' | 'gone' | 'endpoint_disabled' | 'webhook_deleted' | 'single_attempt';

export interface DeliveryAttempt {
  /** 1-based over the delivery's whole life (replays continue the count). */
  readonly attempt: number;
  readonly attemptedAt: string;
  /** null when no HTTP response arrived (timeout, refused connection, blocked address). */
  readonly statusCode: number | null;
  readonly latencyMs: number;
  /** The first 1 KB of the response body, as received. */
  readonly responseExcerpt: string | null;
  readonly responseTruncated: boolean;
  /** Why there was no usable response (`timeout: …`, `network: …`), or null. */
  readonly error: string | null;
  readonly outcome: 'succeeded' | 'failed' | 'gone';
  /** When the next attempt is due, if this one scheduled another. */
  readonly nextAttemptAt: string | null;
}

export interface Delivery {
  /** `dlv_…`, derived from (event id, webhook id): the `webhook-id` header, stable across retries and replays. */
  readonly id: string;
  readonly accountId: string;
  readonly webhookId: string;
  readonly eventId: string;
  readonly eventType: DeliveryEventType;
  /** The exact bytes sent (the JSON envelope), so every attempt signs and sends the same body. */
  readonly body: string;
  readonly test: boolean;
  readonly status: DeliveryStatus;
  /** Attempts made so far, over every cycle. */
  readonly attempts: number;
  /** `attempts` when the current cycle (first try, or the latest replay) began: the schedule restarts there. */
  readonly cycleStart: number;
  /** Attempts one cycle may make: the schedule's length, or 1 for a test ping. */
  readonly maxAttempts: number;
  readonly nextAttemptAt: string | null;
  readonly lastAttemptAt: string | null;
  readonly lastStatusCode: number | null;
  readonly deadLetterReason: DeadLetterReason | null;
  /** The most recent attempts, oldest first (capped at MAX_ATTEMPT_LOG). */
  readonly attemptLog: readonly DeliveryAttempt[];
  /** Set while one dispatcher owns the next attempt, so a duplicate message cannot send it twice. */
  readonly lease: { readonly token: string; readonly until: string } | null;
  /** Bumped on every write; the repository's optimistic lock. */
  readonly revision: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** Two full cycles of the schedule plus a replay's worth: enough history, bounded item size. */
export const MAX_ATTEMPT_LOG = 20;

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function base32(bytes: Buffer, length: number): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < length) {
      out += CROCKFORD[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
    if (out.length >= length) break;
  }
  return out;
}

/**
 * The delivery of one event to one webhook has one id, whoever computes it: the dispatcher that
 * fans an event out twice (SQS redelivery) finds the same item instead of making a second delivery.
 * It is a ULID whose time is the event's, so a webhook's deliveries sort newest first by id.
 */
export function deliveryIdFor(eventId: string, eventTimestamp: string, webhookId: string): string {
  let time: number;
  try {
    time = decodeTime(eventId.slice(eventId.indexOf('_') + 1));
  } catch {
    time = Date.parse(eventTimestamp) || 0;
  }
  const digest = createHash('sha256').update(`${eventId}|${webhookId}`).digest();
  return `dlv_${encodeTime(Math.min(Math.max(0, Math.floor(time)), 281_474_976_710_655), 10)}${base32(digest, 16)}`;
}

export const isDeliveryId = (value: string): boolean => /^dlv_[0-9A-HJKMNP-TV-Z]{26}$/.test(value);

export function envelopeOf(event: DomainEvent): Envelope {
  return { id: event.id, event: event.event, timestamp: event.timestamp, account_id: event.account_id, data: event.data };
}
