import { DOMAIN_EVENT_SOURCE, INTERNAL_EVENT_SOURCE } from '../../../lib/definitions/event-patterns.ts';

/**
 * The domain events Stepwise announces (webhooks, event triggers, live updates), with one
 * envelope for all of them: `{id, event, timestamp, account_id, data}`. `data` follows the seeds'
 * payloads (FlowCtl's event list, CloudFlow's webhook payloads).
 */
export const EVENT_TYPES = [
  'task.created',
  'task.updated',
  'task.deleted',
  'workflow.created',
  'workflow.updated',
  'workflow.deleted',
  'workflow.started',
  'workflow.completed',
  'workflow.failed',
  'workflow.cancelled',
  'task.started',
  'task.completed',
  'task.failed',
  'task.retrying',
  'pipeline.completed',
  'pipeline.failed',
  /** An approval node started waiting for a decision, and someone decided it (docs/api.md#approvals). */
  'approval.requested',
  'approval.decided',
  /** Told to a webhook's owner when Stepwise disables the endpoint (410, or failing for 5 days). */
  'webhook.disabled',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const isEventType = (value: string): value is EventType => (EVENT_TYPES as readonly string[]).includes(value);

/**
 * Events Stepwise uses itself and never offers to subscribers (not webhook or trigger event types):
 * `execution.log` carries each new execution log line to live updates. They travel on the same bus
 * under their own source (INTERNAL_EVENT_SOURCE), so rules on ALL_DOMAIN_EVENTS never see them.
 */
export const INTERNAL_EVENT_TYPES = ['execution.log'] as const;
export type InternalEventType = (typeof INTERNAL_EVENT_TYPES)[number];
/** Everything that may be published: the catalog plus the internal events. */
export type BusEventType = EventType | InternalEventType;

export const isInternalEventType = (value: string): value is InternalEventType => (INTERNAL_EVENT_TYPES as readonly string[]).includes(value);

/** The bus `source` of an event: subscribers' events and internal ones are told apart by source alone. */
export const busSourceOf = (event: BusEventType): string => (isInternalEventType(event) ? INTERNAL_EVENT_SOURCE : DOMAIN_EVENT_SOURCE);

/** `E` defaults to the catalog, so code typed `DomainEvent` (webhooks, triggers) never meets an internal event. */
export interface DomainEvent<D extends Record<string, unknown> = Record<string, unknown>, E extends BusEventType = EventType> {
  /** `evt_…`; stable for the event, so consumers (and webhook-id) can dedupe. */
  readonly id: string;
  readonly event: E;
  /** When it happened (ISO 8601). */
  readonly timestamp: string;
  readonly account_id: string;
  readonly data: D;
}

/** A catalog event or an internal one: what the change feed produces and publishers accept. */
export type PublishedEvent = DomainEvent<Record<string, unknown>, BusEventType>;

/** Where domain events go: EventBridge's custom bus on AWS, the in-process bus locally. */
export interface EventPublisher {
  publish(events: readonly PublishedEvent[]): Promise<void>;
}
