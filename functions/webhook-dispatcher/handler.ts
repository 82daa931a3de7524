import { lambdaStepwise } from '../root/aws.ts';
import { createHandler } from '../root/handlers/webhook-dispatcher.ts';

/**
 * The webhook delivery queue's consumer: domain events (from the bus rule) are fanned out to the
 * account's webhooks, attempt messages make one signed attempt, sweep messages re-enqueue lost ones.
 * Every step is idempotent, so SQS redelivery is harmless.
 */
// Cold start: the configuration is checked against the function's capabilities here, before the first event.
export const handler = createHandler(lambdaStepwise('Events/Webhooks/Dispatcher'));
