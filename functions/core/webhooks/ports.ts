import type { DomainEvent } from '../events/catalog.ts';
import type { Page, PageRequest } from '../pagination.ts';
import type { Delivery, DeliveryStatus, Webhook } from './webhook.ts';

/** Webhook subscriptions. Writes from the API are version-checked; the dispatcher's are targeted updates. */
export interface WebhookRepository {
  /** Refuses (false) when the account already has `limit` webhooks. */
  create(webhook: Webhook, limit: number): Promise<boolean>;
  get(accountId: string, webhookId: string): Promise<Webhook | undefined>;
  /** Conditional on `previous.version`; false when someone else wrote first. */
  update(previous: Webhook, next: Webhook): Promise<boolean>;
  delete(previous: Webhook): Promise<boolean>;
  list(accountId: string, page: PageRequest): Promise<Page<Webhook>>;
  /** Every webhook of the account (at most MAX_WEBHOOKS_PER_ACCOUNT): the fan-out reads them with one query. */
  all(accountId: string): Promise<Webhook[]>;
  /** Starts the failure clock unless it is already running. */
  startFailureClock(accountId: string, webhookId: string, since: string, now: string): Promise<void>;
  clearFailureClock(accountId: string, webhookId: string, now: string): Promise<void>;
  /** Disables an enabled webhook; false when it was already disabled (or gone), so only one caller announces it. */
  disable(accountId: string, webhookId: string, reason: 'gone' | 'failing', now: string): Promise<boolean>;
}

export interface DeliveryFilter {
  readonly status?: DeliveryStatus | undefined;
}

export interface DeliveryRepository {
  /** Stores a new delivery unless one with its id exists; true when this call created it. */
  createIfAbsent(delivery: Delivery): Promise<boolean>;
  get(accountId: string, webhookId: string, deliveryId: string): Promise<Delivery | undefined>;
  /** Conditional on `previous.revision`; `next.revision` must be one more. False when someone else wrote first. */
  replace(previous: Delivery, next: Delivery): Promise<boolean>;
  /** A webhook's deliveries, newest first. */
  list(accountId: string, webhookId: string, filter: DeliveryFilter, page: PageRequest): Promise<Page<Delivery>>;
  /** Pending deliveries due before `before`, across accounts (the sweep; reads a sparse index, never the table). */
  due(before: Date, limit: number): Promise<Delivery[]>;
}

/** Messages on the delivery queue (SQS in AWS, an in-process queue locally). */
export type QueueMessage =
  /** A domain event from the bus: fan it out to the account's subscribed webhooks. */
  | { readonly kind: 'event'; readonly event: DomainEvent }
  /** Make attempt `attempt` of a delivery, once it is due. */
  | { readonly kind: 'attempt'; readonly account_id: string; readonly webhook_id: string; readonly delivery_id: string; readonly attempt: number }
  /** Find pending deliveries whose message was lost and enqueue them again. */
  | { readonly kind: 'sweep' };

export interface DeliveryQueue {
  /** `delayMs` is at most MAX_HOP_MS; the queue may round it up (SQS: whole seconds), never down. */
  send(messages: ReadonlyArray<{ message: QueueMessage; delayMs: number }>): Promise<void>;
}
