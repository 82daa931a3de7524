import { lambdaStepwise } from '../root/aws.ts';
import { createHandler } from '../root/handlers/live-notifier.ts';

/**
 * Run events and log lines from the stage's bus (an EventBridge rule on LIVE_UPDATE_EVENTS): each
 * becomes FlowRunner's message to every connection watching the execution. Connections that are
 * gone are forgotten; a throw makes EventBridge retry (subscribers may then get a message twice).
 */
// Cold start: the configuration is checked against the function's capabilities here, before the first event.
export const handler = createHandler(lambdaStepwise('Events/Live/Notifier'));
