import type { EventBridgeEvent } from 'aws-lambda';
import type { DomainEvent } from '../../core/events/catalog.ts';
import type { Stepwise } from '../stepwise.ts';
import { triggersOf } from '../triggers.ts';

/**
 * Domain events from the stage's bus (an EventBridge rule on AWS, the LocalBus locally): starts
 * every event-triggered workflow of the event's account that listens for it. The event id is the
 * idempotency key, so EventBridge's at-least-once delivery never starts a run twice; a throw retries.
 */
export const createHandler =
  (stepwise: Stepwise) =>
  async (event: Pick<EventBridgeEvent<string, DomainEvent>, 'detail'>): Promise<{ started: string[] }> => {
    const runs = await triggersOf(stepwise).triggers.dispatch(event.detail);
    return { started: runs.map((r) => r.id) };
  };
