import { httpHandler, type HttpHandler } from '../../http/pipeline.ts';
import { webhookOperations } from '../../webhooks/operations.ts';
import type { Stepwise } from '../stepwise.ts';
import { webhooksOf } from '../webhooks.ts';
import { pipelineOf } from '../identity.ts';
/** The webhooks function's handler over one Stepwise (its Lambda: functions/webhooks/handler.ts; local mode: functions/root/local-stepwise.ts). */
export function createHandler(stepwise: Stepwise): HttpHandler {
  return httpHandler('webhooks', webhookOperations(() => webhooksOf(stepwise).service), pipelineOf(stepwise));
}
