import { lambdaStepwise } from '../root/aws.ts';
import { createHandler } from '../root/handlers/trigger-dispatcher.ts';

/**
 * Domain events from the stage's bus (an EventBridge rule on AWS, the LocalBus locally): starts
 * every event-triggered workflow of the event's account that listens for it. The event id is the
 * idempotency key, so EventBridge's at-least-once delivery never starts a run twice; a throw retries.
 */
// Cold start: the configuration is checked against the function's capabilities here, before the first event.
export const handler = createHandler(lambdaStepwise('Events/Triggers/TriggerDispatcher'));
