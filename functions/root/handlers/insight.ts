import { httpHandler, type HttpHandler } from '../../http/pipeline.ts';
import { insightOperations } from '../../insight/operations.ts';
import type { Stepwise } from '../stepwise.ts';
import { insightOf } from '../insight.ts';
import { pipelineOf } from '../identity.ts';
/** The insight function's handler over one Stepwise (its Lambda: functions/insight/handler.ts; local mode: functions/root/local-stepwise.ts). */
export function createHandler(stepwise: Stepwise): HttpHandler {
  return httpHandler('insight', insightOperations(() => insightOf(stepwise)), pipelineOf(stepwise));
}
