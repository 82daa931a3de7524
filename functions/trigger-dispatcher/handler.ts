import type { EventBridgeEvent } from 'aws-lambda';
import { triggerDeps } from '../adapters/triggers-wiring.ts';
import type { DomainEvent } from '../core/events/catalog.ts';

/**
 * Domain events from the stage's bus (an EventBridge rule on AWS, the LocalBus locally): starts
 * every event-triggered workflow of the event's account that listens for it. The event id is the
 * idempotency key, so EventBridge's at-least-once delivery never starts a run twice; a throw retries.
 */
export async function handler(event: Pick<EventBridgeEvent<string, DomainEvent>, 'detail'>): Promise<{ started: string[] }> {
  const runs = await triggerDeps().triggers.dispatch(event.detail);
  return { started: runs.map((r) => r.id) };
}
