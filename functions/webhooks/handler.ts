import { pipelineOptions } from '../adapters/container.ts';
import { webhookDeps } from '../adapters/webhooks-wiring.ts';
import { httpHandler } from '../http/pipeline.ts';
import { webhookOperations } from './operations.ts';

/** Webhooks API: AstraFlow/FlowCtl/CloudFlow subscriptions, delivery log, replay and test pings. */
export const handler = httpHandler('webhooks', webhookOperations(() => webhookDeps().service), pipelineOptions());
