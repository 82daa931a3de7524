import { lambdaStepwise } from '../root/aws.ts';
import { createHandler } from '../root/handlers/live.ts';

/**
 * The WebSocket API's routes (`$connect`, `subscribe`, `$default`, `$disconnect`) for live
 * execution updates; the messages themselves are pushed by functions/live-notifier.
 */
// Cold start: the configuration is checked against the function's capabilities here, before the first event.
export const handler = createHandler(lambdaStepwise('Events/Live/Connections'));
