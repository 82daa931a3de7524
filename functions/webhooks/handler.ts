import { lambdaStepwise } from '../root/aws.ts';
import { createHandler } from '../root/handlers/webhooks.ts';

/** Webhooks API: AstraFlow/FlowCtl/CloudFlow subscriptions, delivery log, replay and test pings. */
// Cold start: the configuration is checked against the function's capabilities here, before the first event.
export const handler = createHandler(lambdaStepwise('Api/WebhooksFunction'));
